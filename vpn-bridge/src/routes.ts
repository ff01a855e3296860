/**
 * What the gateways told the bridge about their containers: where each is (state, address,
 * services), who may open it (owner, share, access epoch), and whose cookies are void.
 * Each org's gateway speaks only for its own org: a route is kept under the org whose
 * socket sent it, and a host naming another org never finds it.
 */
import { z } from "zod";
import type { BridgeRoute } from "../../protocol/containers.ts";

/** Revocations as kept in the state dir: org → user → time (ms). */
export const RevocationsSchema = z.record(z.string(), z.record(z.string(), z.number()));
export type Revocations = z.infer<typeof RevocationsSchema>;

export class RouteTable {
  private readonly orgs = new Map<string, Map<string, BridgeRoute>>();
  /** org → user → the time before which their cookies are void. */
  private readonly revoked = new Map<string, Map<string, number>>();

  /** Replaces everything held for `org` (the gateway's view wins). */
  replace(org: string, routes: readonly BridgeRoute[]): void {
    this.orgs.set(org, new Map(routes.map((route) => [route.container, route])));
  }

  set(org: string, route: BridgeRoute): void {
    let routes = this.orgs.get(org);
    if (!routes) this.orgs.set(org, (routes = new Map()));
    routes.set(route.container, route);
  }

  remove(org: string, container: string): BridgeRoute | undefined {
    const route = this.orgs.get(org)?.get(container);
    this.orgs.get(org)?.delete(container);
    return route;
  }

  get(org: string, container: string): BridgeRoute | undefined {
    return this.orgs.get(org)?.get(container);
  }

  /** Cookies of `users` issued before `at` (ms) are void for every container of `org`. */
  revoke(org: string, users: readonly string[], at: number): void {
    let byUser = this.revoked.get(org);
    if (!byUser) this.revoked.set(org, (byUser = new Map()));
    for (const user of users) byUser.set(user, Math.max(at, byUser.get(user) ?? 0));
  }

  /** The time before which `user`'s cookies for `org` are void, or null. */
  revokedAt(org: string, user: string): number | null {
    return this.revoked.get(org)?.get(user) ?? null;
  }

  /** Forgets revocations older than `before` (a cookie issued before then has expired anyway). */
  pruneRevocations(before: number): void {
    for (const byUser of this.revoked.values()) for (const [user, at] of byUser) if (at < before) byUser.delete(user);
  }

  /** The revocations, to keep across a restart (a revoked cookie must stay void). */
  exportRevocations(): Revocations {
    return Object.fromEntries([...this.revoked].map(([org, byUser]) => [org, Object.fromEntries(byUser)]));
  }

  importRevocations(revocations: Revocations): void {
    for (const [org, byUser] of Object.entries(revocations)) for (const [user, at] of Object.entries(byUser)) this.revoke(org, [user], at);
  }
}

/**
 * What the org's gateway does for its modules beyond events on a project doc: their private
 * tables, one alarm for all of them (the earliest any module asks for, with no project open
 * too), their routes under `/gw/{org}/m/{module}/…`, and the hooks for members leaving and
 * projects going. Events a module runs itself (a system transition) go through the same
 * pipeline as anyone's, as a `system` principal allowed only its own module's permissions.
 */
import type { EventOutcome } from "../events/pipeline";
import { type BlobStore, type HostContext, type ModuleDefinition, type ModuleSql, type Principal, type RouteAnswer, type RouteSpec, type SocketPeer, type SocketSpec, newRecordId } from "../modules/kit";
import { CloseCode } from "../../../protocol/socket";
import { migrateModules } from "./module-storage";

/** What the host needs from the gateway around it. */
export interface HostEnvironment {
  sql: ModuleSql;
  /** The organization this gateway is. */
  org: string;
  transaction(fn: () => void): void;
  /** The org's projects. */
  projects(): readonly string[];
  /** Runs an event in a project as `principal` with `grants` (a member: their own, whatever is passed), logged like any. */
  runEvent(project: string, raw: unknown, principal: Principal, grants: readonly string[]): EventOutcome;
  /** A member's permissions in a project, or null without access. */
  grants(userId: string, project: string): readonly string[] | null;
  isMember(userId: string): boolean;
  roles(userId: string, project: string | null): { org: string; project: string | null } | null;
  /** Sends to every open socket of a module. */
  broadcast(module: string, message: unknown): void;
  /** The org's object store (R2), if bound. */
  blobs: BlobStore | null;
}

export type { RouteAnswer };

export class ModuleHost {
  readonly #byName: ReadonlyMap<string, ModuleDefinition>;

  constructor(
    readonly modules: readonly ModuleDefinition[],
    private readonly env: HostEnvironment,
  ) {
    this.#byName = new Map(modules.map((m) => [m.name, m]));
    migrateModules(env.sql, modules, env.transaction);
  }

  /** What `module`'s hooks are given. */
  context(module: ModuleDefinition, now = Date.now()): HostContext {
    return {
      sql: this.env.sql,
      now,
      org: this.env.org,
      projects: () => this.env.projects(),
      grants: (userId, project) => this.env.grants(userId, project),
      isMember: (userId) => this.env.isMember(userId),
      roles: (userId, project) => this.env.roles(userId, project),
      broadcast: (message) => this.env.broadcast(module.name, message),
      blobs: this.env.blobs,
      runEvent: (project, event, principal) => {
        const outcome = this.env.runEvent(project, { requestId: `${module.name}.${newRecordId()}`, ...event }, principal, [`${module.name}:*`]);
        return outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error };
      },
    };
  }

  /** Whether any module schedules alarms (else events need not look at the alarm). */
  get hasAlarms(): boolean {
    return this.modules.some((m) => m.nextAlarm);
  }

  /**
   * Whether an event of `type` may move a module's alarm: only its own module's state changes
   * in it. A note typed or moved asks nothing of the alarm (looking it up cost every event a
   * query and a storage read).
   */
  mayMoveAlarm(type: string | null): boolean {
    if (type === null) return false;
    return this.#byName.get(type.slice(0, type.indexOf(":")))?.nextAlarm !== undefined;
  }

  /** The earliest time any module needs the alarm, or null. */
  nextAlarm(now = Date.now()): number | null {
    let next: number | null = null;
    for (const module of this.modules) {
      const at = module.nextAlarm?.(this.context(module, now)) ?? null;
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** Runs the alarm of every module whose time has come. */
  runAlarms(now = Date.now()): void {
    for (const module of this.modules) {
      const at = module.nextAlarm?.(this.context(module, now)) ?? null;
      if (at === null || at > now) continue;
      try {
        module.onAlarm?.(this.context(module, now));
      } catch (error) {
        // One module's failure must not stop the others' alarms, nor the gateway's own work.
        console.error(`module ${module.name}: its alarm failed`, error);
      }
    }
    this.flush(now);
  }

  /** The route of `module` for `method` and `path`, or why there is none. */
  route(moduleName: string, method: string, path: string): { module: ModuleDefinition; route: RouteSpec } | null {
    const module = this.#byName.get(moduleName);
    const route = module?.routes?.find((r) => r.method === method && r.path === path);
    return module && route ? { module, route } : null;
  }

  /**
   * Answers a request to a module's route. `member` is the user the worker authenticated, if
   * any; otherwise the module itself says who the bearer of `credentials` is; with neither, the
   * caller is `public`, which only routes that say so admit.
   */
  async request(input: { module: string; method: string; path: string; query: Record<string, string>; body: unknown; bytes?: Uint8Array | null; member: string | null; bearer: string | null }): Promise<RouteAnswer> {
    const found = this.route(input.module, input.method, input.path);
    if (!found) return { status: 404, body: { error: { code: "not_found", message: `Module ${input.module} has no ${input.method} ${input.path}.` } } };
    const { module, route } = found;
    const host = this.context(module);
    const principal: Principal | null =
      input.member !== null
        ? { kind: "user", id: input.member }
        : input.bearer !== null
          ? (module.authenticate?.(host, { bearer: input.bearer }) ?? null)
          : route.principals.includes("public")
            ? { kind: "public", id: "anonymous" }
            : null;
    if (!principal) return { status: 401, body: { error: { code: "unauthenticated", message: "Sign in, or send the credentials this endpoint takes." } } };
    if (!route.principals.includes(principal.kind)) return { status: 403, body: { error: { code: "forbidden", message: `A ${principal.kind} may not call ${input.method} ${input.path}.` } } };
    try {
      // Bytes reach only a route that takes them, and never more than it said.
      const bytes = route.bytes !== undefined && input.bytes && input.bytes.byteLength <= route.bytes ? input.bytes : null;
      const answer = await route.handle(host, { principal, path: input.path, query: input.query, body: input.body, bytes });
      this.flush();
      return answer;
    } catch (error) {
      console.error(`module ${module.name}: ${input.method} ${input.path} failed`, error);
      return { status: 500, body: { error: { code: "internal", message: "The module failed to answer." } } };
    }
  }

  /** The socket endpoint of `moduleName` at `path`, or null. */
  socket(moduleName: string, path: string): { module: ModuleDefinition; socket: SocketSpec } | null {
    const module = this.#byName.get(moduleName);
    const socket = module?.sockets?.find((s) => s.path === path);
    return module && socket ? { module, socket } : null;
  }

  /** Calls a socket handler; one that throws is logged and the socket told, the gateway unharmed. */
  onSocket(moduleName: string, path: string, peer: SocketPeer, text: string | null): void {
    const found = this.socket(moduleName, path);
    if (!found) return peer.close(CloseCode.NotFound, "no such endpoint");
    try {
      if (text === null) found.socket.onOpen?.(this.context(found.module), peer);
      else found.socket.onMessage(this.context(found.module), peer, text);
    } catch (error) {
      console.error(`module ${moduleName}: socket ${path} failed`, error);
      peer.send({ type: "error", error: { code: "internal", message: "The module failed to handle this frame." } });
    }
    this.flush();
  }

  /** Lets every module send what it queued (after an event, a hook, an alarm). */
  flush(now = Date.now()): void {
    for (const module of this.modules) {
      if (!module.afterEvent) continue;
      try {
        module.afterEvent(this.context(module, now));
      } catch (error) {
        console.error(`module ${module.name}: afterEvent failed`, error);
      }
    }
  }

  /** Members left the organization. */
  membershipChanged(removed: readonly string[]): void {
    if (removed.length === 0) return;
    for (const module of this.modules) module.onMembershipChanged?.(this.context(module), { removed });
    this.flush();
  }

  /** A project was deleted. */
  projectDeleted(project: string): void {
    for (const module of this.modules) module.onProjectDeleted?.(this.context(module), project);
    this.flush();
  }
}

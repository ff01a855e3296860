/**
 * Who the provider's clients are: one per container service that asks, named
 * `uc-{container}--{service}`, sending visitors back only to that service's own host.
 *
 * A service asks in two ways. Its image or agent declares `oidc: { redirectPath }` on the
 * service (protocol/containers.ts): the client exists for as long as the container reports the
 * service so, with no record to keep in step, and it authenticates with a secret derived from
 * the container's token (`OIDC_SECRET_LABEL`): the agent computes it and hands it to the
 * service, no second secret to deliver, and the token itself stays the bridge's alone. Or a member who may
 * update the container registers it (`POST /clients`): a row here with its own redirect path and
 * a random secret shown once; that row, while it exists, wins over the declaration.
 */
import { z } from "zod";
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding } from "@oslojs/encoding";
import { OIDC_SECRET_LABEL, ServiceSchema, formatContainerHost } from "../../../../protocol/containers";
import type { HostContext } from "../kit";
import { type LiveRow, liveRow } from "../user-containers/records";
import { clientRow, hashOf } from "./records";

const CLIENT_ID = /^uc-([a-z0-9]{12})--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** `uc-{container}--{service}`: the client id is the service's host label. */
export const clientIdOf = (container: string, service: string) => `uc-${container}--${service}`;

/** Where container hosts live, as the worker knows it (`containers.example.com`, with a port locally). */
export const ContainerSiteSchema = z.strictObject({ scheme: z.enum(["http", "https"]), domain: z.string().min(1).max(253) });
export type ContainerSite = z.infer<typeof ContainerSiteSchema>;

export interface Client {
  id: string;
  container: LiveRow;
  service: string;
  redirectPath: string;
  /** A member registered it (its own secret), or the service declared it (a secret derived from the container's token). */
  kind: "registered" | "declared";
  secretHash: string | null;
}

/** The container's services, as it last reported them (or as it was created). */
export function servicesOf(row: LiveRow) {
  const parsed = z.array(ServiceSchema).safeParse(JSON.parse(row.services));
  return parsed.success ? parsed.data : [];
}

/** The client `clientId`, or null when there is none (no such container or service, or it asked for none). */
export function findClient(host: HostContext, clientId: string): Client | null {
  const match = CLIENT_ID.exec(clientId);
  if (!match) return null;
  const [, containerId, service] = match as unknown as [string, string, string];
  const container = liveRow(host.sql, containerId);
  if (!container || container.state === "deleted") return null;
  const registered = clientRow(host.sql, clientId);
  if (registered) return { id: clientId, container, service, redirectPath: registered.redirect_path, kind: "registered", secretHash: registered.secret_hash };
  const declared = servicesOf(container).find((s) => s.name === service)?.oidc;
  return declared ? { id: clientId, container, service, redirectPath: declared.redirectPath, kind: "declared", secretHash: null } : null;
}

/** The one redirect URI a client may use: its service's host, its path, exactly. */
export function redirectUriOf(host: HostContext, client: Client, site: ContainerSite): string {
  return `${site.scheme}://${formatContainerHost({ container: client.container.id, service: client.service, org: host.org, domain: site.domain.toLowerCase() })}${client.redirectPath}`;
}

/** A declared client's secret, from its container's stored token hash (see `OIDC_SECRET_LABEL`). */
export function declaredSecret(tokenHash: string, clientId: string): string {
  const encode = (text: string) => new TextEncoder().encode(text);
  return encodeBase64urlNoPadding(hmac(SHA256, encode(tokenHash), encode(`${OIDC_SECRET_LABEL}${clientId}`)));
}

/** Whether `secret` authenticates the client: its own secret, or (declared) the one derived from its container's current token. */
export function clientSecretMatches(_host: HostContext, client: Client, secret: string): boolean {
  if (client.kind === "registered") return client.secretHash !== null && constantTimeEqual(hashOf(secret), client.secretHash);
  const tokenHash = client.container.token_hash;
  return tokenHash !== null && constantTimeEqual(declaredSecret(tokenHash, client.id), secret);
}

/** Compares two strings without an early exit. */
function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

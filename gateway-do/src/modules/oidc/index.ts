/**
 * oidc: the organization's OpenID Connect provider, for its container apps. A container app
 * (JupyterLab, Grafana, one's own) signs its visitor in with the org's gateway as issuer
 * `{app}/oidc/{org}` — authorization code flow, PKCE S256 required, an ES256 ID token naming
 * the member, their name, email and roles — with no other identity provider. Its clients are
 * the container services that ask (`clients.ts`); its codes and tokens live in its own
 * tables, hashed, and the org's alarm sweeps them once expired.
 */
import type { ModuleDefinition } from "../kit";
import { MIGRATIONS, OIDC, forgetUsers, nextExpiry, sweep } from "./records";
import { authorizeRoute, jwksRoute, registerRoute, tokenRoute, userinfoRoute } from "./routes";

export const oidc = {
  name: OIDC,
  dependencies: ["user-containers"],
  events: {},
  // Registering a container service's client takes the container's own `update` permission.
  permissions: [],
  storage: { migrations: MIGRATIONS },
  routes: [jwksRoute, authorizeRoute, tokenRoute, userinfoRoute, registerRoute],
  nextAlarm: (host) => nextExpiry(host.sql),
  onAlarm: (host) => sweep(host.sql, host.now),
  onMembershipChanged: (host, { removed }) => forgetUsers(host.sql, removed),
  onProjectDeleted: (host) => sweep(host.sql, host.now),
} as const satisfies ModuleDefinition;

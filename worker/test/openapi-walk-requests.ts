/**
 * A good request for every operation of the OpenAPI document, by operationId, for the walk in
 * openapi-walk.test.ts. Each builder makes what its request needs (a user with TOTP, an org to
 * delete, an emailed token) so that the request, sent once, succeeds.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { type Client, type SignedUp, awayFromStepEdge, call, expectJson, newClient, signUp, tokenFromEmail, totpCode, uniqueEmail } from "./helpers";
import { type Org, type Project, createOrg, createProject, joinOrg } from "./org-helpers";

export interface GoodRequest {
  /** Who calls: its cookie or API key are the request's credentials. */
  client: Client;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What most requests act on: an org owned by `owner`, with a project and a plain member; and someone in none of it. */
export interface World {
  owner: SignedUp;
  org: Org;
  project: Project;
  member: SignedUp;
  stranger: SignedUp;
}

/** A new user whose email is confirmed through the emailed link (API keys and invitations need it). */
async function confirmed(options: { name?: string } = {}): Promise<SignedUp> {
  const person = await signUp(options);
  await expectJson(call(newClient(), "/api/auth/verify-email", { body: { token: await tokenFromEmail(person.email, /Confirm your email/) } }), 200);
  return { ...person, user: { ...person.user, emailVerified: true } };
}

export async function makeWorld(): Promise<World> {
  const owner = await confirmed({ name: "Walk owner" });
  const org = await createOrg(owner.client);
  const project = await createProject(owner.client, org.id);
  const member = await joinOrg(owner.client, org.id, "member", await confirmed());
  return { owner, org, project, member, stranger: await confirmed({ name: "Walk stranger" }) };
}

interface Enrolled extends SignedUp {
  secret: string;
  recoveryCodes: string[];
}

/** A new user with TOTP on, enabled with the previous step's code so the current one is still unused. */
async function enrolled(): Promise<Enrolled> {
  const person = await signUp();
  await awayFromStepEdge();
  const { secret } = await expectJson<{ secret: string }>(call(person.client, "/api/account/totp/setup", { method: "POST" }), 200);
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(call(person.client, "/api/account/totp/enable", { body: { code: totpCode(secret, -1) } }), 200);
  return { ...person, secret, recoveryCodes };
}

/** The next API key id of `client`'s account, made through the API. */
async function apiKeyId(client: Client): Promise<string> {
  const body = await expectJson<{ apiKey: { id: string } }>(call(client, "/api/account/api-keys", { body: { name: "walk", scopes: ["orgs:read"] } }), 201);
  return body.apiKey.id;
}

/** Starts an OIDC sign-in and lets the local provider answer: the callback's query and the flow cookie. */
async function oidcCallback(): Promise<GoodRequest> {
  const client = newClient();
  const start = await call(client, `/api/auth/oauth/oidc/start?login_hint=${encodeURIComponent(uniqueEmail("walk-sso"))}`);
  expect(start.status).toBe(302);
  const cookie = /kiln_oauth=[^;]+/.exec(start.headers.get("set-cookie")!)![0];
  const provider = await fetch(start.headers.get("location")!, { redirect: "manual" });
  const callback = new URL(provider.headers.get("location")!);
  expect(callback.origin, "the provider answers at once").toBe("http://kiln.test");
  return { client, params: { provider: "oidc" }, query: Object.fromEntries(callback.searchParams), headers: { cookie } };
}

type Build = (w: World) => Promise<GoodRequest>;

const password = () => `walk-${crypto.randomUUID()}`;

export const GOOD_REQUESTS: Record<string, Build> = {
  getHealth: async () => ({ client: newClient() }),
  signUp: async () => ({ client: newClient(), body: { email: uniqueEmail("walk"), password: password(), name: "Walker" } }),
  signIn: async (w) => ({ client: newClient(), body: { email: w.owner.email, password: w.owner.password } }),
  signOut: async () => ({ client: (await signUp()).client }),
  listOAuthProviders: async () => ({ client: newClient() }),
  startOAuthSignIn: async () => ({ client: newClient(), params: { provider: "oidc" }, query: { redirect: "/orgs", login_hint: uniqueEmail("walk-sso") } }),
  finishOAuthSignIn: oidcCallback,
  verifyEmail: async () => {
    const { email } = await signUp();
    return { client: newClient(), body: { token: await tokenFromEmail(email, /Confirm your email/) } };
  },
  resendVerificationEmail: async () => ({ client: (await signUp()).client }),
  requestPasswordReset: async () => {
    const { email } = await signUp();
    return { client: newClient(), body: { email, redirect: "/orgs" } };
  },
  resetPassword: async () => {
    const { email } = await signUp();
    await expectJson(call(newClient(), "/api/auth/password-reset/request", { body: { email } }), 202);
    return { client: newClient(), body: { token: await tokenFromEmail(email, /Reset your Kiln password/), password: password() } };
  },
  requestMagicLink: async () => ({ client: newClient(), body: { email: uniqueEmail("walk-link") } }),
  signInWithMagicLink: async () => {
    const email = uniqueEmail("walk-link");
    await expectJson(call(newClient(), "/api/auth/magic-link/request", { body: { email } }), 202);
    return { client: newClient(), body: { token: await tokenFromEmail(email, /sign-in link/) } };
  },
  finishSignInWithSecondFactor: async () => {
    const person = await enrolled();
    const client = newClient();
    expect(await expectJson(call(client, "/api/auth/login", { body: { email: person.email, password: person.password } }), 200)).toEqual({ status: "mfa_required" });
    return { client, body: { recoveryCode: person.recoveryCodes[0] } };
  },
  listSessions: async (w) => ({ client: w.owner.client }),
  revokeSession: async () => {
    const { client } = await signUp();
    const { sessions } = await expectJson<{ sessions: { id: string }[] }>(call(client, "/api/account/sessions"), 200);
    return { client, params: { id: sessions[0]!.id } };
  },
  revokeOtherSessions: async () => ({ client: (await signUp()).client }),
  changePassword: async () => {
    const person = await signUp();
    return { client: person.client, body: { currentPassword: person.password, newPassword: password() } };
  },
  startTotpSetup: async () => ({ client: (await signUp()).client }),
  enableTotp: async () => {
    const { client } = await signUp();
    await awayFromStepEdge();
    const { secret } = await expectJson<{ secret: string }>(call(client, "/api/account/totp/setup", { method: "POST" }), 200);
    return { client, body: { code: totpCode(secret) } };
  },
  disableTotp: async () => {
    const person = await enrolled();
    return { client: person.client, body: { password: person.password } };
  },
  replaceRecoveryCodes: async () => {
    const person = await enrolled();
    return { client: person.client, body: { code: totpCode(person.secret) } };
  },
  listApiKeys: async (w) => ({ client: w.owner.client }),
  createApiKey: async (w) => ({ client: w.owner.client, body: { name: "walk", scopes: ["orgs:read", "projects:read"], expiresInDays: 7 } }),
  revokeApiKey: async (w) => ({ client: w.owner.client, params: { id: await apiKeyId(w.owner.client) } }),
  getMe: async (w) => ({ client: w.owner.client }),
  updateMe: async (w) => ({ client: w.owner.client, body: { name: "Walk owner" } }),
  createOrg: async (w) => ({ client: w.owner.client, body: { name: "Walk org" } }),
  listOrgs: async (w) => ({ client: w.owner.client }),
  getOrg: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  renameOrg: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, body: { name: "Walk org, renamed" } }),
  changeOrgSlug: async (w) => ({ client: w.owner.client, params: { org: (await createOrg(w.owner.client)).id }, body: { slug: `walk-${crypto.randomUUID().slice(0, 8)}` } }),
  deleteOrg: async (w) => ({ client: w.owner.client, params: { org: (await createOrg(w.owner.client)).id } }),
  listOrgMembers: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  changeOrgMemberRole: async (w) => ({ client: w.owner.client, params: { org: w.org.id, user: w.member.user.id }, body: { role: "member" } }),
  removeOrgMember: async (w) => ({ client: w.owner.client, params: { org: w.org.id, user: (await joinOrg(w.owner.client, w.org.id, "member", await confirmed())).user.id } }),
  createInvitation: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, body: { email: uniqueEmail("walk-invitee"), role: "member" } }),
  listInvitations: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  revokeInvitation: async (w) => {
    const invitation = await expectJson<{ id: string }>(call(w.owner.client, `/api/orgs/${w.org.id}/invitations`, { body: { email: uniqueEmail("walk-invitee"), role: "member" } }), 201);
    return { client: w.owner.client, params: { org: w.org.id, id: invitation.id } };
  },
  acceptInvitation: async (w) => {
    const invitee = await confirmed();
    await expectJson(call(w.owner.client, `/api/orgs/${w.org.id}/invitations`, { body: { email: invitee.email, role: "member" } }), 201);
    return { client: invitee.client, body: { token: await tokenFromEmail(invitee.email, /invited you to/) } };
  },
  previewInvitation: async (w) => {
    const email = uniqueEmail("walk-preview");
    await expectJson(call(w.owner.client, `/api/orgs/${w.org.id}/invitations`, { body: { email, role: "member" } }), 201);
    return { client: newClient(), body: { token: await tokenFromEmail(email, /invited you to/) } };
  },
  createProject: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, body: { name: `Walk ${crypto.randomUUID().slice(0, 8)}`, visibility: "org" } }),
  listProjects: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  getProject: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id } }),
  getProjectAccess: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id } }),
  updateProject: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id }, body: { visibility: "org" } }),
  deleteProject: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: (await createProject(w.owner.client, w.org.id)).id } }),
  listProjectMembers: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id } }),
  setProjectMember: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id, user: w.member.user.id }, body: { role: "member" } }),
  // The owner leaves a project of their own.
  removeProjectMember: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: (await createProject(w.owner.client, w.org.id)).id, user: w.owner.user.id } }),
  connectToProject: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id } }),
  searchUsers: async (w) => ({ client: w.owner.client, query: { q: "walk" } }),
  listAuditLog: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, query: { limit: "5" } }),
  sendProjectEvent: async (w) => ({
    client: w.owner.client,
    params: { org: w.org.id, project: w.project.id },
    body: { type: "notes:create", requestId: crypto.randomUUID(), viewId: "main", text: "from the walk" },
  }),
  listEventLog: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, query: { limit: "5" } }),
  pingGateway: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  openProjectSocket: async (w) => {
    const { token } = await expectJson<{ token: string }>(call(w.owner.client, `/api/orgs/${w.org.id}/projects/${w.project.id}/connect`, { method: "POST" }), 200);
    return { client: newClient(), params: { org: w.org.id, project: w.project.id }, query: { token }, headers: { upgrade: "websocket" } };
  },
  getJwks: async () => ({ client: newClient() }),
  // A GIF header: ASCII only, so it travels as a string body unchanged.
  uploadImage: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, query: { project: w.project.id }, body: GIF, headers: { "content-type": "image/gif" } }),
  getImage: async (w) => {
    const res = await call(w.owner.client, `/gw/${w.org.id}/m/images/upload?project=${w.project.id}`, { body: GIF, headers: { "content-type": "image/gif" } });
    const { id } = await expectJson<{ id: string }>(res, 201);
    return { client: w.owner.client, params: { org: w.org.id }, query: { project: w.project.id, id } };
  },
  createContainer: async (w) => ({ client: w.owner.client, params: { org: w.org.id, project: w.project.id }, body: { name: "walk", image: "localhost/kiln-jupyter:1" } }),
  renewContainerLaunch: async (w) => ({ client: w.owner.client, params: { org: w.org.id, container: await walkContainer(w) } }),
  getContainer: async (w) => ({ client: w.owner.client, params: { org: w.org.id, container: await walkContainer(w) } }),
  listContainerImages: async (w) => ({ client: w.owner.client }),
  getContainerSettings: async (w) => ({ client: w.owner.client, params: { org: w.org.id } }),
  setContainerSettings: async (w) => ({ client: w.owner.client, params: { org: w.org.id }, body: { idleMinutes: 30 } }),
  openContainerService: async (w) => ({
    client: w.owner.client,
    query: { host: `uc-${await walkContainer(w)}--jupyter.org-${w.org.id}.containers.localhost`, path: "/" },
  }),
  listBridgeOrgs: async () => ({ client: newClient(), headers: { authorization: `Bearer kbr_${env.BRIDGE_KEY}` } }),
};

/** A 12×7 GIF's header. */
const GIF = "GIF89a\x0c\x00\x07\x00\x00\x00\x00;";

/** A container of the walk's org (created through the API). */
async function walkContainer(w: World): Promise<string> {
  const { container } = await expectJson<{ container: { id: string } }>(
    call(w.owner.client, `/api/orgs/${w.org.id}/projects/${w.project.id}/containers`, { body: { name: "walk", image: "localhost/kiln-jupyter:1" } }),
    201,
  );
  return container.id;
}

/**
 * Operations the walk sends only bad input to, each with the reason it cannot be sent a good
 * request here. Empty: every operation is exercised whole.
 */
export const BAD_INPUT_ONLY: Record<string, string> = {};

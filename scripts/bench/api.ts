/**
 * The benchmark's fixtures, made through Kiln's HTTP API as the web app makes them: users
 * sign up, an owner creates the org and its projects, invites the others (the invitation
 * link comes from the dev mailbox), and each user asks `…/connect` for a gateway token.
 */

export interface ApiUser {
  id: string;
  email: string;
  /** `kiln_session=…`, kept from the last response that set it. */
  cookie: string;
  /** Sent as cf-connecting-ip: sign-ups are limited per address, so each user has its own. */
  ip: string;
}

export interface GatewayTicket {
  url: string;
  token: string;
}

/** A caller of one running worker. */
export class Api {
  constructor(readonly base: string) {}

  async call<T>(user: Pick<ApiUser, "cookie" | "ip"> | null, path: string, body?: unknown): Promise<{ body: T; cookie: string | null }> {
    const headers: Record<string, string> = { origin: this.base, "content-type": "application/json" };
    if (user) {
      headers["cf-connecting-ip"] = user.ip;
      if (user.cookie) headers.cookie = user.cookie;
    }
    const res = await fetch(`${this.base}${path}`, { method: body === undefined ? "GET" : "POST", headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${body === undefined ? "GET" : "POST"} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const session = /kiln_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "");
    return { body: (text ? JSON.parse(text) : null) as T, cookie: session ? `kiln_session=${session[1]}` : null };
  }

  /** Signs up a new user from its own (documentation-range) address. */
  async signUp(index: number): Promise<ApiUser> {
    const ip = `198.51.100.${index + 1}`;
    const email = `bench-${index}-${crypto.randomUUID().slice(0, 8)}@kiln.test`;
    const { body, cookie } = await this.call<{ user: { id: string } }>({ cookie: "", ip }, "/api/auth/signup", { email, password: `bench password ${crypto.randomUUID()}` });
    if (!cookie) throw new Error("sign-up set no session cookie");
    return { id: body.user.id, email, cookie, ip };
  }

  async createOrg(owner: ApiUser, name: string): Promise<string> {
    return (await this.call<{ id: string }>(owner, "/api/orgs", { name })).body.id;
  }

  /** A project every org member sees (visibility `org`). */
  async createProject(owner: ApiUser, org: string, name: string): Promise<string> {
    return (await this.call<{ id: string }>(owner, `/api/orgs/${org}/projects`, { name, visibility: "org" })).body.id;
  }

  /** Invites `person` as a member and accepts with the link from the dev mailbox. */
  async join(owner: ApiUser, org: string, person: ApiUser): Promise<void> {
    await this.call(owner, `/api/orgs/${org}/invitations`, { email: person.email, role: "member" });
    const { body } = await this.call<{ messages: { subject: string; text: string }[] }>(null, `/api/dev/mailbox/messages?to=${encodeURIComponent(person.email)}`);
    const message = body.messages.find((m) => /invited you to/.test(m.subject));
    if (!message) throw new Error(`no invitation email for ${person.email}`);
    const token = new URL(/https?:\/\/\S+/.exec(message.text)![0]).searchParams.get("token");
    await this.call(person, "/api/invitations/accept", { token });
  }

  /** A gateway token for `user` in the project (valid 5 minutes, checked when a socket opens). */
  async connect(user: ApiUser, org: string, project: string): Promise<GatewayTicket> {
    const { body } = await this.call<{ token: string }>(user, `/api/orgs/${org}/projects/${project}/connect`, {});
    // The API names the public origin; the benchmark talks to the worker directly.
    return { url: `${this.base.replace(/^http/, "ws")}/gw/${org}/projects/${project}/ws`, token: body.token };
  }
}

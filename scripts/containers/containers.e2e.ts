/**
 * User containers end to end, every part real: `npm start` (the worker and the gateway on
 * `wrangler dev`, embedded Postgres), the VPN bridge with OpenVPN and Nginx in a "VPS"
 * namespace, podman behind the Docker API in a "user's machine" namespace, and the literal
 * `docker run` a person copies from the board, run with the `docker` CLI.
 */
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./exec.ts";
import { type People, PORTS, Platform } from "./platform.ts";

if (process.getuid?.() !== 0) throw new Error("the container tests need root (network namespaces, podman, OpenVPN): run `sudo npm run test:containers`");

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(2)} s`;

describe("user containers, end to end", () => {
  let platform: Platform;
  let p: People;
  const status = (id: string) => platform.status(id);
  const waitState = (id: string, state: string, ms: number) => platform.waitState(id, state, ms);
  const create = (name: string, share = "project") => platform.create(name, { share });
  const docker = (command: string) => platform.docker(command);
  const visit = (host: string, path = "/api", headers: Record<string, string> = {}) => platform.visit(host, path, headers);
  const signInTo = (host: string, session: string) => platform.signIn(host, session);

  beforeAll(async () => {
    platform = await Platform.start({ work: `/tmp/kiln-containers-e2e-${process.pid}` });
    p = platform.people;
  }, 900_000);

  afterAll(async () => {
    await platform?.close();
  }, 180_000);

  let a: { id: string; token: string; command: string; host: string; address: string; cookie: string };
  let b: { id: string; token: string; command: string; host: string };

  it("runs the literal copied docker run: the node turns running, and a member opens its service", async () => {
    const created = await create("notebook");
    const { id } = created.container;
    expect(created.command).toMatch(/^docker run -d --name kiln-[a-z0-9]{12} --restart unless-stopped --cap-add=NET_ADMIN --device \/dev\/net\/tun -e KILN_CONTAINER=/);
    const t0 = Date.now();
    const ran = await docker(created.command);
    expect(ran.code, ran.stderr).toBe(0);
    await waitState(id, "running", 60_000);
    const toRunning = Date.now() - t0;
    const host = platform.host(id, "jupyter");
    const cookie = await signInTo(host, p.ada.session());
    await waitFor("the first proxied 200", async () => ((await visit(host, "/api", { cookie })).status === 200 ? true : null), 60_000, 50);
    console.log(`   docker run → running ${(toRunning / 1000).toFixed(2)} s, → first proxied 200 ${elapsed(t0)}`);
    const answer = await visit(host, "/api", { cookie });
    expect(JSON.parse(answer.body)).toHaveProperty("version");
    const { address } = await status(id);
    expect(address).toMatch(new RegExp(`^172\\.29\\.${platform.octet}\\.`));
    a = { id, token: created.token, command: created.command, host, address: address!, cookie };
    // Ben, a member of the project, may open Ada's container; but Jupyter runs the code its visitors
    // send, so it opens only for those who may type in the container (its owner, or `:terminal`).
    expect(await signInTo(host, p.ben.session())).toBe("refused:403");
  }, 180_000);

  it("refuses: no cookie, another org's member, a forged or expired ticket, a cookie on another host, a WebSocket from another origin", async () => {
    const none = await visit(a.host, "/api");
    expect(none.status).toBe(302);
    expect(await signInTo(a.host, p.cyd.session())).toBe("refused:403");
    const forged = await visit(a.host, `/_kiln/callback?ticket=${"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA"}&path=/api`);
    expect(forged.status).toBe(403);
    const expired = await new SignJWT({ org: p.org, container: a.id })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("someone")
      .setAudience(a.host)
      .setJti(crypto.randomUUID())
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(new TextEncoder().encode(platform.bridgeKey));
    expect((await visit(a.host, `/_kiln/callback?ticket=${expired}&path=/api`)).status).toBe(403);
    // The same cookie on the container's other host (no service part) is not that host's.
    const otherHost = platform.host(a.id, null);
    expect([302, 401, 403]).toContain((await visit(otherHost, "/api", { cookie: a.cookie })).status);
    const upgrade = { connection: "Upgrade", upgrade: "websocket", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==", cookie: a.cookie };
    const evil = platform.host("zzzzzzzzzzzz", null);
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://${evil}:${PORTS.nginx}` })).status).toBe(403);
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://localhost:${PORTS.nginx}` })).status).toBe(403);
    // From its own host, the upgrade reaches Jupyter (which answers it).
    expect((await visit(a.host, "/api/events/subscribe", { ...upgrade, origin: `http://${a.host}:${PORTS.nginx}` })).status).not.toBe(403);
  }, 60_000);

  it("keeps containers apart on the VPN, and a token to its own container", async () => {
    const created = await create("second");
    b = { id: created.container.id, token: created.token, command: created.command, host: platform.host(created.container.id, "jupyter") };
    expect((await docker(created.command)).code).toBe(0);
    await waitState(b.id, "running", 60_000);
    // A's cookie on B's host: refused.
    expect([302, 401, 403]).toContain((await visit(b.host, "/api", { cookie: a.cookie })).status);
    const reach = await docker(`docker exec kiln-${b.id} python3 -c "import urllib.request; urllib.request.urlopen('http://${a.address}:8888/api', timeout=3)"`);
    expect(reach.code, "B reached A over the VPN").not.toBe(0);
    // B's own (valid) token, used to join as A.
    const join = await docker(
      `docker exec kiln-${b.id} sh -c "printf '%s\\n%s\\n' ${a.id} \\"\\$KILN_TOKEN\\" > /tmp/as-a && chmod 600 /tmp/as-a && timeout 10 openvpn --config /run/kiln/kiln.ovpn --dev tun9 --auth-user-pass /tmp/as-a --verb 1 2>&1 | grep -m1 -E 'AUTH_FAILED|Initialization Sequence Completed'"`,
    );
    expect(join.stdout).toContain("AUTH_FAILED");
  }, 180_000);

  it("docker stop shows stopped at once; docker start brings it back at the same URL and address", async () => {
    let t0 = Date.now();
    expect((await docker(`docker stop -t 10 kiln-${a.id}`)).code).toBe(0);
    await waitState(a.id, "stopped", 2_000 + (Date.now() - t0));
    console.log(`   docker stop → stopped ${elapsed(t0)}`);
    t0 = Date.now();
    expect((await docker(`docker start kiln-${a.id}`)).code).toBe(0);
    await waitState(a.id, "running", 60_000);
    expect((await status(a.id)).address).toBe(a.address);
    await waitFor("200 again", async () => ((await visit(a.host, "/api", { cookie: a.cookie })).status === 200 ? true : null), 30_000, 50);
    console.log(`   docker start → running and 200 ${elapsed(t0)}`);
  }, 120_000);

  it("flags a container killed hard unreachable within 20 s", async () => {
    const t0 = Date.now();
    expect((await docker(`docker kill kiln-${a.id}`)).code).toBe(0);
    await waitFor("unreachable", async () => (["unreachable"].includes((await status(a.id)).state) ? true : null), 20_000, 100);
    console.log(`   killed → unreachable ${elapsed(t0)}`);
  }, 60_000);

  it("deleting a container revokes its token; removing a member voids their cookie", async () => {
    await p.ada.call(`/gw/${p.org}/projects/${p.project}/events`, { type: "user-containers:delete", requestId: crypto.randomUUID(), container: b.id });
    const profile = await docker(`docker exec kiln-${b.id} python3 -c "import os,urllib.request; urllib.request.urlopen(urllib.request.Request(os.environ['KILN_BRIDGE']+'/v1/profile', headers={'Authorization':'Bearer '+os.environ['KILN_TOKEN']}), timeout=5)"`);
    expect(profile.code).not.toBe(0);
    expect(profile.stderr).toMatch(/401|403/);

    // Ben's cookie works on a running container until he is removed from the org.
    // (A shared terminal: members open it and watch.)
    const c = await platform.create("third", { share: "org", image: "localhost/kiln-terminal:1" });
    expect((await docker(c.command)).code).toBe(0);
    await waitState(c.container.id, "running", 60_000);
    const host = platform.host(c.container.id, "terminal");
    const benCookie = await platform.signIn(host, p.ben.session(), "/");
    await waitFor("Ben's 200", async () => ((await visit(host, "/", { cookie: benCookie })).status === 200 ? true : null), 30_000, 50);
    const res = await fetch(`${platform.workerUrl}/api/orgs/${p.org}/members/${p.benId}`, { method: "DELETE", headers: { cookie: `kiln_session=${p.ada.session()}`, origin: platform.workerUrl } });
    expect(res.status).toBeLessThan(300);
    await waitFor("Ben's cookie refused", async () => ((await visit(host, "/", { cookie: benCookie })).status !== 200 ? true : null), 10_000, 100);
  }, 180_000);
});

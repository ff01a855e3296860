/**
 * The VPN bridge: `npm run bridge` (as root). Reads its configuration, makes or reuses the
 * PKI, starts OpenVPN (held until the bridge is listening), its servers, Nginx, and the
 * gateway sockets; SIGTERM or SIGINT stops them all.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { AddressBook } from "./addresses.ts";
import { writeFileAtomic } from "./atomic-file.ts";
import { createAuthServer } from "./auth-server.ts";
import { Bridge } from "./bridge.ts";
import type { Child } from "./child-process.ts";
import { ConfigError, readConfig } from "./config.ts";
import { isolateContainers, removeIsolation } from "./firewall.ts";
import { Gateways } from "./gateway-client.ts";
import { JupyterLink, jupyterAddress } from "./jupyter/link.ts";
import { closeServer, listen } from "./http-util.ts";
import { describeError, log, warn } from "./log.ts";
import { ManagementClient } from "./management.ts";
import { startNginx } from "./nginx.ts";
import { startOpenVpn } from "./openvpn.ts";
import { renderClientProfile } from "./ovpn-profile.ts";
import { ensurePki, readPem } from "./pki.ts";
import { createProfileServer } from "./profile-server.ts";
import { createReportServer } from "./report-server.ts";
import { RevocationsSchema, RouteTable } from "./routes.ts";
import { Sessions } from "./sessions.ts";
import { serverAddress } from "./subnet.ts";
import { VISITOR_COOKIE_TTL_MS, deriveCookieKey } from "./visitor-cookie.ts";
import { UsedTickets } from "./visitor.ts";

/** Waits until an interface holds `address` (OpenVPN gives its tun the server address once it is up). */
async function addressExists(address: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const present = () => Object.values(networkInterfaces()).some((list) => list?.some((i) => i.address === address));
  while (!present()) {
    if (Date.now() > deadline) throw new Error(`OpenVPN did not bring up ${address} within ${timeoutMs / 1000} s; see openvpn's lines above`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error("bridge: must run as root (it runs OpenVPN, creates a tun device, sets a firewall rule and starts Nginx): sudo -E npm run bridge");
    process.exit(1);
  }
  const config = readConfig(process.env);
  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  const pki = await ensurePki(config.stateDir);
  const ovpn = renderClientProfile({ remote: config.vpnListen, caPem: await readPem(pki.ca), tlsCryptPem: await readPem(pki.tlsCrypt) });
  const vpnServer = serverAddress(config.subnet);

  const routes = new RouteTable();
  // Revocations outlive a restart: the gateway does not send them again, and a revoked cookie must stay void.
  const revocationsFile = join(config.stateDir, "revocations.json");
  const stored = await readFile(revocationsFile, "utf8").then((text) => RevocationsSchema.safeParse(JSON.parse(text)), () => null);
  if (stored?.success) routes.importRevocations(stored.data);
  else if (stored) warn(`${revocationsFile} is not a revocations file; ignored`);
  routes.pruneRevocations(Date.now() - VISITOR_COOKIE_TTL_MS);
  const saveRevocations = () => writeFileAtomic(revocationsFile, JSON.stringify(routes.exportRevocations()));
  const sessions = new Sessions();
  const addresses = new AddressBook(join(config.stateDir, "addresses.json"), config.subnet);
  await addresses.load();

  const children: Child[] = [];
  const servers: Server[] = [];
  let stopping = false;
  let management: ManagementClient | null = null;
  const stop = async (why: string, code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      log(`stopping (${why})`);
      gateways.stop();
      bridge?.activity.stop();
      management?.close();
      await Promise.all([...children.map((c) => c.stop()), ...servers.map(closeServer)]);
      await removeIsolation(config.vpnDevice);
      log("stopped");
    }
    process.exit(code);
  };
  const childDied = (description: string) => void stop(`${description}; the bridge cannot work without it`, 1);

  let bridge: Bridge | null = null;
  const gateways = new Gateways(
    { kilnUrl: config.kilnUrl, bridgeKey: config.bridgeKey, requestTimeoutMs: 5_000 },
    {
      onMessage: (org, message) => void bridge?.onGatewayMessage(org, message).catch((error: unknown) => warn(`gateway message ${message.type}: ${describeError(error)}`)),
      onOpen: (org) => bridge?.onGatewayOpen(org),
      hasSessions: (org) => sessions.ofOrg(org).length > 0,
      companion: (org) => new JupyterLink(org, { kilnUrl: config.kilnUrl, bridgeKey: config.bridgeKey }, (container) => jupyterAddress(routes.get(org, container))),
    },
  );
  bridge = new Bridge({ subnet: config.subnet, routes, sessions, addresses, gateways, management: (command) => management?.send(command), saveRevocations, activityEveryMs: config.activityEveryMs });
  const core = bridge;

  process.on("SIGTERM", () => void stop("SIGTERM", 0));
  process.on("SIGINT", () => void stop("SIGINT", 0));

  try {
    const managementPassword = randomBytes(24).toString("base64url");
    const passwordFile = join(config.stateDir, "management.pw");
    await writeFile(passwordFile, `${managementPassword}\n`, { mode: 0o600 });
    children.push(startOpenVpn({ listen: config.vpnListen, subnet: config.subnet, device: config.vpnDevice, pki, managementPort: config.managementPort, managementPasswordFile: passwordFile }, childDied));
    management = new ManagementClient(config.managementPort, managementPassword, (event) =>
      void core.onClientEvent(event).catch((error: unknown) => warn(`OpenVPN ${event.kind} ${event.cid}: ${describeError(error)}`)),
    );
    await management.connect();
    await isolateContainers(config.vpnDevice);

    const cookieKey = deriveCookieKey(config.bridgeKey);
    const usedTickets = new UsedTickets();
    const auth = createAuthServer({
      settings: { domain: config.containerDomain, scheme: config.containerScheme, kilnUrl: config.kilnUrl, cookieKey },
      ticketKey: new TextEncoder().encode(config.bridgeKey),
      facts: { route: (org, container) => routes.get(org, container), revokedAt: (org, user) => routes.revokedAt(org, user) },
      usedTickets,
      authPort: config.authPort,
      onActivity: (org, container) => core.activity.touch(org, container),
    });
    const profile = createProfileServer({
      checkToken: (token, purpose) => core.checkToken(token, purpose),
      profile: (org) => ({ ovpn, reportUrl: `http://${vpnServer}:${config.reportPort}/v1/report`, oidcIssuer: `${config.kilnUrl}/oidc/${org}` }),
    });
    const report = createReportServer({
      sessionAt: (address) => sessions.atAddress(address),
      checkToken: (token, purpose) => core.checkToken(token, purpose),
      relay: (session, body) => core.relayReport(session, body),
    });
    servers.push(auth, profile, report);
    await listen(auth, "127.0.0.1", config.authPort);
    await listen(profile, config.profileListen.host, config.profileListen.port);
    await addressExists(vpnServer);
    await listen(report, vpnServer, config.reportPort);
    setInterval(() => routes.pruneRevocations(Date.now() - VISITOR_COOKIE_TTL_MS), 10 * 60_000).unref();

    children.push(await startNginx({ listen: config.httpListen, domain: config.containerDomain, scheme: config.containerScheme, authPort: config.authPort, prefix: join(config.stateDir, "nginx") }, childDied));
    await gateways.start();
    log(
      `ready: OpenVPN udp ${config.vpnListen.host}:${config.vpnListen.port} (${vpnServer}/${config.subnet.prefix}), ` +
        `profiles ${config.profileListen.host}:${config.profileListen.port} (${config.publicUrl}), reports ${vpnServer}:${config.reportPort}, ` +
        `visitors ${config.httpListen.host}:${config.httpListen.port} (*.${config.containerDomain}), gateways at ${config.kilnUrl}`,
    );
  } catch (error) {
    warn(describeError(error));
    await stop("start failed", 1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `bridge: ${describeError(error)}`);
  process.exit(1);
});

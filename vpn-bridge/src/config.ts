/**
 * The bridge's configuration, read once from the environment at start. Every variable is
 * documented in vpn-bridge/README.md; a missing or malformed one stops the start with a
 * sentence naming it, so an operator is never left guessing.
 */
import { z } from "zod";
import { parseSubnet, type Subnet } from "./subnet.ts";

const Port = z.coerce.number().int().min(1).max(65535);

/** `host:port`, `[v6]:port`, a bare host or a bare port; what is left out takes the default. */
export function parseListen(text: string, defaults: ListenAddress): ListenAddress | null {
  const value = text.trim();
  if (value === "") return defaults;
  if (/^\d+$/.test(value)) return checkPort({ host: defaults.host, port: Number(value) });
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(value);
  if (v6) return checkPort({ host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaults.port });
  const v4 = /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(value);
  if (v4) return checkPort({ host: v4[1]!, port: v4[2] ? Number(v4[2]) : defaults.port });
  return null;
}

function checkPort(address: ListenAddress): ListenAddress | null {
  return Number.isInteger(address.port) && address.port >= 1 && address.port <= 65535 ? address : null;
}

function listenAddress(defaultHost: string, defaultPort: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const address = parseListen(value ?? "", { host: defaultHost, port: defaultPort });
      if (!address) {
        ctx.addIssue({ code: "custom", message: `expected host:port, a host or a port, got "${value}"` });
        return z.NEVER;
      }
      return address;
    });
}

const HttpUrl = z
  .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
  .transform((url) => url.replace(/\/+$/, ""));

const EnvSchema = z.object({
  KILN_URL: HttpUrl,
  KILN_BRIDGE_KEY: z.string().min(16, "expected the bridge key the worker holds (BRIDGE_KEY), at least 16 characters"),
  KILN_CONTAINER_DOMAIN: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "expected a lower-case domain name, e.g. containers.localhost"),
  KILN_CONTAINER_SCHEME: z.enum(["http", "https"]).default("https"),
  KILN_BRIDGE_PUBLIC_URL: HttpUrl,
  KILN_VPN_LISTEN: listenAddress("", 1194).refine((a) => a.host !== "", "expected the public IP OpenVPN listens on, e.g. 203.0.113.7 or 203.0.113.7:1194"),
  KILN_VPN_SUBNET: z
    .string()
    .default("172.16.0.0/16")
    .transform((text, ctx) => {
      const subnet = parseSubnet(text);
      if (!subnet) {
        ctx.addIssue({ code: "custom", message: `expected an IPv4 network with a prefix of /8 to /29, e.g. 172.16.0.0/16, got "${text}"` });
        return z.NEVER;
      }
      return subnet;
    }),
  KILN_STATE_DIR: z.string().min(1).default("/var/lib/kiln-bridge"),
  KILN_HTTP_LISTEN: listenAddress("0.0.0.0", 80),
  KILN_PROFILE_LISTEN: listenAddress("0.0.0.0", 9002),
  KILN_REPORT_PORT: Port.default(9001),
  KILN_AUTH_PORT: Port.default(9000),
  KILN_MANAGEMENT_PORT: Port.default(7505),
  KILN_VPN_DEVICE: z.string().regex(/^[a-z][a-z0-9-]{0,14}$/, "expected a network interface name (up to 15 characters)").default("kiln-tun0"),
  KILN_ACTIVITY_EVERY_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
});

export interface ListenAddress {
  host: string;
  port: number;
}

/** The bridge's settings, with names that say what each is for. */
export interface BridgeConfig {
  kilnUrl: string;
  bridgeKey: string;
  containerDomain: string;
  containerScheme: "http" | "https";
  publicUrl: string;
  vpnListen: ListenAddress;
  subnet: Subnet;
  stateDir: string;
  httpListen: ListenAddress;
  profileListen: ListenAddress;
  reportPort: number;
  authPort: number;
  managementPort: number;
  vpnDevice: string;
  /** How often a container's visitor activity may go to its gateway. */
  activityEveryMs: number;
}

export class ConfigError extends Error {}

/** Reads the configuration from `env`; throws a ConfigError listing every bad variable. */
export function readConfig(env: Record<string, string | undefined>): BridgeConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "?");
      const message = env[name] === undefined && issue.code === "invalid_type" ? "is not set" : issue.message;
      return `  ${name}: ${message}`;
    });
    throw new ConfigError(`bridge: bad configuration (see vpn-bridge/README.md):\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    kilnUrl: e.KILN_URL,
    bridgeKey: e.KILN_BRIDGE_KEY,
    containerDomain: e.KILN_CONTAINER_DOMAIN,
    containerScheme: e.KILN_CONTAINER_SCHEME,
    publicUrl: e.KILN_BRIDGE_PUBLIC_URL,
    vpnListen: e.KILN_VPN_LISTEN,
    subnet: e.KILN_VPN_SUBNET,
    stateDir: e.KILN_STATE_DIR,
    httpListen: e.KILN_HTTP_LISTEN,
    profileListen: e.KILN_PROFILE_LISTEN,
    reportPort: e.KILN_REPORT_PORT,
    authPort: e.KILN_AUTH_PORT,
    managementPort: e.KILN_MANAGEMENT_PORT,
    vpnDevice: e.KILN_VPN_DEVICE,
    activityEveryMs: e.KILN_ACTIVITY_EVERY_MS,
  };
}

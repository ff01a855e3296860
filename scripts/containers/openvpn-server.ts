/**
 * A real OpenVPN server for the container tests, standing in for the bridge's: a throwaway PKI
 * (openssl), tls-crypt, and username/password checked by a small `--auth-user-pass-verify`
 * script against the tokens the test allows (username = container id, password = token).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { background, run, stopChild, waitFor } from "./exec.ts";

export interface TestVpnServer {
  /** The client profile the test bridge hands out. */
  clientProfile: string;
  /** Lets `container` join with `token`. */
  allow(container: string, token: string): void;
  log(): string;
  stop(): Promise<void>;
}

export interface TestVpnOptions {
  dir: string;
  enter: string[];
  /** Where the server listens (UDP) and clients connect. */
  address: string;
  port: number;
  /** The VPN subnet, e.g. 172.30.7.0; the server takes .1 in a /24. */
  subnet: string;
  tunName: string;
}

export async function startTestVpnServer(options: TestVpnOptions): Promise<TestVpnServer> {
  const { dir } = options;
  mkdirSync(`${dir}/tokens`, { recursive: true, mode: 0o700 });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...ec, "-keyout", `${dir}/ca.key`, "-out", `${dir}/ca.crt`, "-days", "2", "-subj", "/CN=kiln-test-ca"]);
  await run("openssl", ["req", ...ec, "-keyout", `${dir}/server.key`, "-out", `${dir}/server.csr`, "-subj", "/CN=kiln-test-vpn"]);
  writeFileSync(`${dir}/server.ext`, "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\n");
  await run("openssl", ["x509", "-req", "-in", `${dir}/server.csr`, "-CA", `${dir}/ca.crt`, "-CAkey", `${dir}/ca.key`, "-CAcreateserial", "-out", `${dir}/server.crt`, "-days", "2", "-extfile", `${dir}/server.ext`]);
  await run("openvpn", ["--genkey", "tls-crypt", `${dir}/tc.key`]);
  // via-file: $1 holds the username and the password on two lines.
  writeFileSync(
    `${dir}/verify.sh`,
    `#!/bin/sh\nuser=$(sed -n 1p "$1"); pass=$(sed -n 2p "$1")\ncase "$user" in ''|*[!a-z0-9]*) exit 1 ;; esac\n[ -f "${dir}/tokens/$user" ] && [ "$(cat "${dir}/tokens/$user")" = "$pass" ]\n`,
    { mode: 0o700 },
  );
  const logPath = `${dir}/openvpn-server.log`;
  const args = [
    "openvpn", "--dev", options.tunName, "--dev-type", "tun", "--proto", "udp", "--local", options.address, "--port", String(options.port),
    "--topology", "subnet", "--server", options.subnet, "255.255.255.0",
    "--ca", `${dir}/ca.crt`, "--cert", `${dir}/server.crt`, "--key", `${dir}/server.key`, "--dh", "none", "--tls-crypt", `${dir}/tc.key`,
    "--verify-client-cert", "none", "--username-as-common-name", "--script-security", "2", "--auth-user-pass-verify", `${dir}/verify.sh`, "via-file",
    "--tmp-dir", dir, "--keepalive", "2", "10", "--verb", "3",
  ];
  const child: ChildProcess = background(options.enter[0]!, [...options.enter.slice(1), ...args], logPath);
  try {
    await waitFor("the test OpenVPN server", () => readOr(logPath).includes("Initialization Sequence Completed"), 20_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  const clientProfile = [
    "client", "dev tun", "proto udp", `remote ${options.address} ${options.port}`, "nobind", "remote-cert-tls server", "auth-user-pass",
    `<ca>\n${readFileSync(`${dir}/ca.crt`, "utf8").trim()}\n</ca>`,
    `<tls-crypt>\n${readFileSync(`${dir}/tc.key`, "utf8").trim()}\n</tls-crypt>`,
    "",
  ].join("\n");
  return {
    clientProfile,
    allow: (container, token) => writeFileSync(`${dir}/tokens/${container}`, token, { mode: 0o600 }),
    log: () => readOr(logPath),
    stop: () => stopChild(child),
  };
}

function readOr(path: string): string {
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

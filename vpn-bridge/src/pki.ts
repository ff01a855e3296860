/**
 * The VPN's keys, made at the first start and reused after: a CA, the server's certificate
 * and key, and the tls-crypt key. Containers never get a certificate (they log in with their
 * token), so the profile holds only the CA and the tls-crypt key.
 *
 * Made with `openssl` directly rather than easy-rsa: we issue exactly one certificate, and
 * easy-rsa's index, serial database and vars file exist for issuing and revoking many,
 * which we never do. Three openssl calls, no copy of /usr/share/easy-rsa to keep in sync.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { log } from "./log.ts";

const run = promisify(execFile);

/** The name in the server's certificate; the profile's `verify-x509-name` checks it. */
export const SERVER_NAME = "kiln-vpn-server";

export interface Pki {
  ca: string;
  cert: string;
  key: string;
  tlsCrypt: string;
}

/** Paths of the PKI files in `dir`. */
export function pkiPaths(dir: string): Pki {
  return { ca: join(dir, "ca.crt"), cert: join(dir, "server.crt"), key: join(dir, "server.key"), tlsCrypt: join(dir, "tls-crypt.key") };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The PKI in `<stateDir>/pki`, made now if it is not there (built aside, then moved in whole). */
export async function ensurePki(stateDir: string): Promise<Pki> {
  const dir = join(stateDir, "pki");
  const paths = pkiPaths(dir);
  const present = await Promise.all(Object.values(paths).map(exists));
  if (present.every(Boolean)) return paths;
  if (present.some(Boolean)) throw new Error(`bridge: ${dir} is incomplete (some of ca.crt, server.crt, server.key, tls-crypt.key are missing); move it away to make a new PKI (containers then need their profile again)`);

  log(`making the VPN's CA, server certificate and tls-crypt key in ${dir}`);
  const work = join(stateDir, `pki.${process.pid}.tmp`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true, mode: 0o700 });
  const w = pkiPaths(work);
  const caKey = join(work, "ca.key");
  const csr = join(work, "server.csr");
  const extensions = join(work, "server.ext");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...ec, "-keyout", caKey, "-out", w.ca, "-days", "3650", "-subj", "/CN=Kiln VPN CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  await run("openssl", ["req", ...ec, "-keyout", w.key, "-out", csr, "-subj", `/CN=${SERVER_NAME}`]);
  // What OpenVPN's client checks with `remote-cert-tls server`: key usage and the serverAuth EKU.
  await writeFile(extensions, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=serverAuth\n");
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", w.ca, "-CAkey", caKey, "-set_serial", `0x${randomBytes(16).toString("hex")}`,
    "-days", "3650", "-extfile", extensions, "-out", w.cert]);
  await run("openvpn", ["--genkey", "tls-crypt", w.tlsCrypt]);
  await rm(csr);
  await rm(extensions);
  await rm(dir, { recursive: true, force: true });
  await rename(work, dir);
  return paths;
}

/** A file's PEM text, trimmed, for inlining in a profile. */
export async function readPem(path: string): Promise<string> {
  return (await readFile(path, "utf8")).trim();
}

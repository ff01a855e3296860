/**
 * Reading OpenVPN's management interface (with `--management-client-auth`): a pure line
 * parser that gathers `>CLIENT:…` notifications and their `>CLIENT:ENV,…` blocks into
 * whole client events. No I/O here, so every shape OpenVPN sends is unit-tested.
 *
 * What OpenVPN 2.6 sends (doc/management-notes.txt):
 *   >CLIENT:CONNECT,{CID},{KID}      then ENV lines, then >CLIENT:ENV,END
 *   >CLIENT:REAUTH,{CID},{KID}       same, on a TLS renegotiation
 *   >CLIENT:ESTABLISHED,{CID}        same
 *   >CLIENT:DISCONNECT,{CID}         same
 *   >CLIENT:ADDRESS,{CID},{ADDR},{PRI}   one line, no ENV
 *   SUCCESS: … / ERROR: …            answers to our commands, in order
 *   >INFO:…, >HOLD:…, >LOG:…         other notifications
 */

const CLIENT_EVENT_KINDS = ["CONNECT", "REAUTH", "ESTABLISHED", "DISCONNECT"] as const;
export type ClientEventKind = (typeof CLIENT_EVENT_KINDS)[number];

/** A whole client notification: its ids and the environment OpenVPN gave with it. */
export interface ClientEvent {
  kind: ClientEventKind;
  /** OpenVPN's client id: one per connection, never reused while the server runs. */
  cid: string;
  /** The key id, for CONNECT and REAUTH (client-auth and client-deny name it). */
  kid: string | null;
  env: Record<string, string>;
}

export type ManagementLine =
  | { type: "client"; event: ClientEvent }
  | { type: "success"; text: string }
  | { type: "error"; text: string }
  | { type: "hold"; text: string }
  | { type: "info"; text: string }
  | { type: "other"; text: string };

const HEADER = /^>CLIENT:(CONNECT|REAUTH|ESTABLISHED|DISCONNECT),(\d+)(?:,(\d+))?$/;

/**
 * Feeds lines one at a time and returns what a line completes, if anything. ENV lines
 * belong to the header before them; OpenVPN never interleaves two client blocks.
 */
export class ManagementParser {
  private pending: ClientEvent | null = null;

  /** Parses one line (without its line ending); returns a completed item or null. */
  push(rawLine: string): ManagementLine | null {
    // The password prompt has no newline, so it prefixes the answer to our password.
    const line = rawLine.replace(/\r$/, "").replace(/^ENTER PASSWORD:/, "");
    const header = HEADER.exec(line);
    if (header) {
      const kind = CLIENT_EVENT_KINDS.find((k) => k === header[1]);
      if (!kind) return { type: "other", text: line };
      const needsKey = kind === "CONNECT" || kind === "REAUTH";
      if (needsKey && header[3] === undefined) return { type: "other", text: line };
      this.pending = { kind, cid: header[2]!, kid: needsKey ? header[3]! : null, env: {} };
      return null;
    }
    if (line.startsWith(">CLIENT:ENV,")) {
      const pair = line.slice(">CLIENT:ENV,".length);
      if (!this.pending) return { type: "other", text: line };
      if (pair === "END") {
        const event = this.pending;
        this.pending = null;
        return { type: "client", event };
      }
      const eq = pair.indexOf("=");
      // A value may itself hold "=" (a password): split at the first one only.
      if (eq > 0) this.pending.env[pair.slice(0, eq)] = pair.slice(eq + 1);
      return null;
    }
    if (line.startsWith("SUCCESS:")) return { type: "success", text: line.slice(8).trim() };
    if (line.startsWith("ERROR:")) return { type: "error", text: line.slice(6).trim() };
    if (line.startsWith(">HOLD:")) return { type: "hold", text: line.slice(6) };
    if (line.startsWith(">INFO:")) return { type: "info", text: line.slice(6) };
    return line === "" ? null : { type: "other", text: line };
  }
}

/** Splits a stream of chunks into lines, keeping a partial line for the next chunk. */
export class LineSplitter {
  private buffer = "";

  push(chunk: string): string[] {
    this.buffer += chunk;
    const lines = this.buffer.split("\n");
    this.buffer = lines.pop() ?? "";
    return lines;
  }
}

/** A quoted argument for a management command: OpenVPN reads `"…"` with `\"` and `\\` escapes. */
export function quoteArgument(text: string): string {
  return `"${text.replace(/[\r\n]/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The command that lets a client in with a fixed address (multi-line, ended by END). */
export function clientAuthCommand(cid: string, kid: string, address: string, mask: string): string {
  return `client-auth ${cid} ${kid}\nifconfig-push ${address} ${mask}\nEND\n`;
}

/** The command that accepts a renegotiation, keeping the session's config. */
export function clientAuthNoConfigCommand(cid: string, kid: string): string {
  return `client-auth-nt ${cid} ${kid}\n`;
}

/** The command that refuses a client; the reason goes to the server log, the client sees AUTH_FAILED. */
export function clientDenyCommand(cid: string, kid: string, reason: string): string {
  return `client-deny ${cid} ${kid} ${quoteArgument(reason)}\n`;
}

/** The command that drops a connected client at once. */
export function clientKillCommand(cid: string): string {
  return `client-kill ${cid}\n`;
}

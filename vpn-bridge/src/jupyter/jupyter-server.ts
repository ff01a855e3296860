/**
 * A container's Jupyter Server as the bridge speaks to it, at the container's VPN address
 * (nothing but the bridge reaches that address: tun→tun traffic is dropped). The REST calls
 * for kernels, and a kernel's channels socket speaking the Jupyter messaging protocol (v5,
 * JSON frames) to run code and turn what the kernel says into Kiln's cell outputs.
 *
 * Jupyter checks XSRF on POST and DELETE: Tornado compares the `_xsrf` cookie with the
 * `X-XSRFToken` header, so a client sends both with the same random value.
 */
import { randomBytes, randomUUID } from "node:crypto";
import WebSocket from "ws";
import { KEPT_MIME_TYPES, type CellOutput, type MimeBundle } from "../../../protocol/jupyter.ts";

export class JupyterError extends Error {}

export class JupyterServer {
  private readonly xsrf = randomBytes(16).toString("hex");

  constructor(
    /** e.g. `http://172.29.3.10:8888` */
    readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  private async call(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { cookie: `_xsrf=${this.xsrf}`, "x-xsrftoken": this.xsrf, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new JupyterError(`Jupyter at ${this.baseUrl} did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private async expect(response: Response, ok: number[], what: string): Promise<Response> {
    if (ok.includes(response.status)) return response;
    const text = (await response.text().catch(() => "")).slice(0, 200);
    throw new JupyterError(`Jupyter refused to ${what} (HTTP ${response.status}${text ? `: ${text}` : ""})`);
  }

  /** Starts a kernel of `spec`; its Jupyter id. */
  async start(spec: string): Promise<string> {
    const response = await this.expect(await this.call("POST", "/api/kernels", { name: spec }), [201, 200], `start a ${spec} kernel`);
    const body = (await response.json()) as { id?: unknown };
    if (typeof body.id !== "string") throw new JupyterError("Jupyter started a kernel but gave no id");
    return body.id;
  }

  /** Whether Jupyter still has the kernel (a restarted container's server has none of the old ones). */
  async exists(id: string): Promise<boolean> {
    const response = await this.call("GET", `/api/kernels/${encodeURIComponent(id)}`);
    if (response.status === 404) return false;
    await this.expect(response, [200], "describe a kernel");
    return true;
  }

  async interrupt(id: string): Promise<void> {
    await this.expect(await this.call("POST", `/api/kernels/${encodeURIComponent(id)}/interrupt`), [204, 200], "interrupt the kernel");
  }

  async restart(id: string): Promise<void> {
    await this.expect(await this.call("POST", `/api/kernels/${encodeURIComponent(id)}/restart`), [200], "restart the kernel");
  }

  async shutdown(id: string): Promise<void> {
    await this.expect(await this.call("DELETE", `/api/kernels/${encodeURIComponent(id)}`), [204, 404], "shut the kernel down");
  }

  /** Opens the kernel's channels. */
  connect(id: string, onClose: (why: string) => void): Promise<KernelChannel> {
    const session = randomUUID();
    const url = `${this.baseUrl.replace(/^http/, "ws")}/api/kernels/${encodeURIComponent(id)}/channels?session_id=${session}`;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: this.timeoutMs, maxPayload: 64 * 1024 * 1024 });
      socket.once("open", () => resolve(new KernelChannel(socket, session, onClose)));
      socket.once("unexpected-response", (_request, response) => reject(new JupyterError(`Jupyter refused the kernel's channels (HTTP ${response.statusCode})`)));
      socket.once("error", (error) => reject(new JupyterError(`cannot reach the kernel's channels (${error.message})`)));
    });
  }
}

/** What a run of code reports as it goes. */
export interface RunListener {
  output(output: CellOutput): void;
  /** The run is over: the kernel replied and went idle. */
  end(status: "ok" | "error" | "aborted", executionCount: number | null): void;
}

interface JupyterMessage {
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id?: string };
  channel?: string;
  content: Record<string, unknown>;
}

/** Keeps the MIME types the board shows. */
function kept(data: unknown): MimeBundle {
  const bundle: MimeBundle = {};
  if (typeof data !== "object" || data === null) return bundle;
  for (const type of KEPT_MIME_TYPES) {
    const value = (data as Record<string, unknown>)[type];
    if (typeof value === "string") bundle[type] = value;
    else if (Array.isArray(value) && value.every((line) => typeof line === "string")) bundle[type] = value.join("");
  }
  return bundle;
}

/** A kernel message's content as a cell output, or null for messages that are not outputs. */
export function toOutput(message: JupyterMessage): CellOutput | null {
  const c = message.content;
  switch (message.header.msg_type) {
    case "stream":
      return { type: "stream", name: c.name === "stderr" ? "stderr" : "stdout", text: String(c.text ?? "") };
    case "execute_result":
      return { type: "result", count: typeof c.execution_count === "number" ? c.execution_count : null, data: kept(c.data) };
    case "display_data":
    case "update_display_data":
      return { type: "display", data: kept(c.data) };
    case "error":
      return { type: "error", ename: String(c.ename ?? "Error"), evalue: String(c.evalue ?? ""), traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [] };
    default:
      return null;
  }
}

/** A kernel's channels socket: runs code, one listener per request. */
export class KernelChannel {
  private readonly runs = new Map<string, { listener: RunListener; replied: { status: "ok" | "error" | "aborted"; count: number | null } | null; idle: boolean }>();

  constructor(
    private readonly socket: WebSocket,
    private readonly session: string,
    onClose: (why: string) => void,
  ) {
    socket.on("message", (data) => this.receive(data.toString()));
    socket.on("close", (code) => onClose(`the kernel's channels closed (${code})`));
    socket.on("error", () => {});
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends `execute_request`; the listener hears the outputs and the end. */
  execute(code: string, listener: RunListener): string {
    const msgId = randomUUID();
    this.runs.set(msgId, { listener, replied: null, idle: false });
    this.socket.send(
      JSON.stringify({
        header: { msg_id: msgId, username: "kiln", session: this.session, msg_type: "execute_request", version: "5.3", date: new Date().toISOString() },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
        channel: "shell",
        buffers: [],
      }),
    );
    return msgId;
  }

  /**
   * Resolves once the kernel's iopub reaches this socket: after a restart Jupyter reconnects its
   * streams, and what a kernel says on iopub before that is lost (a first cell's error, its idle).
   * Asks `kernel_info` (a nudge, as Jupyter's own clients do) every 500 ms until a status of one
   * of those requests comes back on iopub; gives up quietly after `ms`.
   */
  ready(ms = 10_000): Promise<void> {
    return new Promise((resolve) => {
      const asked = new Set<string>();
      const done = () => {
        clearInterval(timer);
        clearTimeout(limit);
        this.nudges = null;
        resolve();
      };
      const ask = () => {
        const msgId = randomUUID();
        asked.add(msgId);
        this.send(msgId, "kernel_info_request", {});
      };
      this.nudges = { asked, done };
      const timer = setInterval(ask, 500);
      const limit = setTimeout(done, ms);
      ask();
    });
  }

  private nudges: { asked: Set<string>; done: () => void } | null = null;

  private send(msgId: string, type: string, content: object): void {
    this.socket.send(
      JSON.stringify({
        header: { msg_id: msgId, username: "kiln", session: this.session, msg_type: type, version: "5.3", date: new Date().toISOString() },
        parent_header: {},
        metadata: {},
        content,
        channel: "shell",
        buffers: [],
      }),
    );
  }

  /** Forgets a run (its outputs and end are no longer heard). */
  forget(msgId: string): void {
    this.runs.delete(msgId);
  }

  close(): void {
    this.socket.terminate();
  }

  private receive(text: string): void {
    let message: JupyterMessage;
    try {
      message = JSON.parse(text) as JupyterMessage;
    } catch {
      return;
    }
    const parent = message.parent_header?.msg_id;
    if (parent && this.nudges?.asked.has(parent) && message.header?.msg_type === "status") return this.nudges.done();
    const run = parent ? this.runs.get(parent) : undefined;
    if (!run || !parent) return;
    const type = message.header?.msg_type;
    if (type === "execute_reply") {
      const status = message.content.status === "ok" ? "ok" : message.content.status === "aborted" ? "aborted" : "error";
      run.replied = { status, count: typeof message.content.execution_count === "number" ? message.content.execution_count : null };
    } else if (type === "status") {
      if (message.content.execution_state === "idle") run.idle = true;
    } else {
      const output = toOutput(message);
      if (output) run.listener.output(output);
    }
    // Over when the reply came (shell) and the kernel went idle (iopub): outputs may trail the reply.
    if (run.replied && run.idle) {
      this.runs.delete(parent);
      run.listener.end(run.replied.status, run.replied.count);
    }
  }
}

/**
 * The bridge's side of OpenVPN's management interface: connects (retrying while OpenVPN
 * starts), logs in, releases the hold, then hands each client event to the bridge and
 * writes its answers. OpenVPN takes one management client at a time.
 */
import { connect, type Socket } from "node:net";
import { log, warn } from "./log.ts";
import { LineSplitter, ManagementParser, type ClientEvent } from "./management-parse.ts";

export class ManagementClient {
  private socket: Socket | null = null;
  private closed = false;

  constructor(
    private readonly port: number,
    private readonly password: string,
    private readonly onClient: (event: ClientEvent) => void,
  ) {}

  /** Connects, retrying for up to `timeoutMs` while OpenVPN starts. */
  async connect(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.socket = await this.open();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`bridge: OpenVPN's management interface on 127.0.0.1:${this.port} did not answer (${String(error)}); see openvpn's lines above`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    const socket = this.socket;
    const splitter = new LineSplitter();
    const parser = new ManagementParser();
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        const item = parser.push(line);
        if (!item) continue;
        if (item.type === "client") this.onClient(item.event);
        else if (item.type === "error") warn(`openvpn management: ${item.text}`);
        // OpenVPN may announce its hold after our early release and then wait again: release it whenever it says so.
        else if (item.type === "hold") this.send("hold release\n");
      }
    });
    socket.on("close", () => {
      if (!this.closed) warn("OpenVPN's management interface closed: containers can no longer join until the bridge restarts");
    });
    // The password goes first (OpenVPN prompts for it), then the hold is released.
    this.send(`${this.password}\n`);
    this.send("hold release\n");
    log(`connected to OpenVPN's management interface on 127.0.0.1:${this.port}`);
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.port, "127.0.0.1");
      socket.once("connect", () => {
        socket.off("error", reject);
        socket.on("error", (error) => warn(`openvpn management: ${error.message}`));
        resolve(socket);
      });
      socket.once("error", reject);
    });
  }

  /** Writes a command (or a multi-line block) as one write, so blocks never interleave. */
  send(command: string): void {
    this.socket?.write(command);
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }
}

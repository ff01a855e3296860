/**
 * Kiln's Docker API pass-through in front of podman 4.3's socket. Podman's `/_ping` lacks the
 * `OSType` header, and docker CLI ≥ 19.03 then refuses `--device` ("unknown server OS: ",
 * docker/cli#2280); this adds it. Headers are flushed at once, or `docker run` waits forever on
 * `/containers/{id}/wait`'s long poll. Hijacked connections (attach, exec) are piped raw.
 *
 * Second gap: docker CLI 28 sends `docker stop` without `t` when the user gives no `-t`,
 * leaving the grace period to the daemon (10 s in Docker); podman 4.3's compat API reads a
 * missing `t` as 0 and SIGKILLs at once (exit 137), so no agent could say goodbye. Docker's
 * default is added.
 */
import http from "node:http";
import net from "node:net";
import { rmSync } from "node:fs";

export interface DockerPingProxy {
  socket: string;
  close(): Promise<void>;
}

/** Listens on the unix socket `listen` and forwards to podman's `target` socket. */
export function startDockerPingProxy(listen: string, target: string): Promise<DockerPingProxy> {
  rmSync(listen, { force: true });
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const upstream = http.request({ socketPath: target, method: req.method, path: withStopTimeout(req.method, req.url), headers: req.headers }, (answer) => {
      const headers = { ...answer.headers };
      if (isPing(req.url)) headers.ostype ??= "linux";
      res.writeHead(answer.statusCode ?? 502, headers);
      res.flushHeaders();
      answer.pipe(res);
    });
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`podman socket: ${error.message}`);
    });
    req.pipe(upstream);
  });
  server.on("upgrade", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const upstream = net.connect(target, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen, () =>
      resolve({
        socket: listen,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

function isPing(url: string | undefined): boolean {
  return /\/_ping$/.test((url ?? "").split("?")[0]!);
}

/** Docker's grace period before SIGKILL when `docker stop` or `docker restart` names none. */
const DOCKER_STOP_TIMEOUT_S = 10;

/** Adds `t=10` to a stop or restart that lacks it (see the second gap above). */
export function withStopTimeout(method: string | undefined, url: string | undefined): string {
  const path = url ?? "/";
  if (method !== "POST" || !/\/containers\/[^/]+\/(stop|restart)$/.test(path.split("?")[0]!)) return path;
  const query = new URLSearchParams(path.split("?")[1] ?? "");
  if (query.has("t") || query.has("timeout")) return path;
  query.set("t", String(DOCKER_STOP_TIMEOUT_S));
  return `${path.split("?")[0]}?${query}`;
}

import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDockerPingProxy, withStopTimeout, type DockerPingProxy } from "../containers/docker-ping-proxy.ts";

// A stand-in for podman 4.3's API socket: /_ping without OSType, and an echo of what arrived.
const dir = mkdtempSync(`${tmpdir()}/kiln-ping-proxy-`);
const seen: string[] = [];
const podman = http.createServer((req, res) => {
  seen.push(`${req.method} ${req.url}`);
  if (req.url?.endsWith("/_ping")) {
    res.writeHead(200, { "api-version": "1.41", "libpod-api-version": "4.3.1" });
    return res.end("OK");
  }
  let body = "";
  req.on("data", (chunk: Buffer) => (body += chunk));
  req.on("end", () => res.end(JSON.stringify({ url: req.url, body })));
});
let proxy: DockerPingProxy;

function ask(path: string, method = "GET", body?: string): Promise<{ headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: proxy.socket, path, method }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk));
      res.on("end", () => resolve({ headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => podman.listen(`${dir}/podman.sock`, resolve));
  proxy = await startDockerPingProxy(`${dir}/docker.sock`, `${dir}/podman.sock`);
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => podman.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("the docker ping proxy in front of podman 4.3", () => {
  it("adds OSType to /_ping, versioned or not, and keeps podman's headers", async () => {
    for (const path of ["/_ping", "/v1.41/_ping"]) {
      const answer = await ask(path);
      expect(answer.headers.ostype).toBe("linux");
      expect(answer.headers["libpod-api-version"]).toBe("4.3.1");
      expect(answer.body).toBe("OK");
    }
  });

  it("gives docker stop and restart Docker's 10 s grace when the CLI names none, and passes everything else as is", async () => {
    expect(JSON.parse((await ask("/v1.41/containers/abc/stop", "POST")).body).url).toBe("/v1.41/containers/abc/stop?t=10");
    expect(JSON.parse((await ask("/v1.41/containers/abc/stop?t=3", "POST")).body).url).toBe("/v1.41/containers/abc/stop?t=3");
    const create = JSON.parse((await ask("/v1.41/containers/create?name=x", "POST", '{"Image":"i"}')).body);
    expect(create).toEqual({ url: "/v1.41/containers/create?name=x", body: '{"Image":"i"}' });
    expect(withStopTimeout("POST", "/containers/abc/restart?signal=TERM")).toBe("/containers/abc/restart?signal=TERM&t=10");
    expect(withStopTimeout("GET", "/containers/abc/stop")).toBe("/containers/abc/stop");
    expect(seen).toContain("POST /v1.41/containers/abc/stop?t=10");
  });
});

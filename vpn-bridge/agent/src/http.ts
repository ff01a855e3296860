import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  body: string;
}

/**
 * One HTTP request with a deadline covering connect, send and the whole answer. Node's
 * `http` rather than `fetch`: Debian 12's Node 18 warns that fetch is experimental.
 */
export function request(url: string, init: { method: "GET" | "POST"; token: string; body?: unknown; timeoutMs: number }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const headers: Record<string, string> = { authorization: `Bearer ${init.token}`, accept: "application/json" };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const client = target.protocol === "https:" ? https : http;
    const req = client.request(target, { method: init.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", fail);
    });
    const timer = setTimeout(() => req.destroy(new Error(`timeout after ${init.timeoutMs} ms`)), init.timeoutMs);
    req.on("error", fail);
    req.end(body);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
  });
}

/** `GET /v1/profile` (public): a container's VPN profile, for its token. */
import { createServer, type Server } from "node:http";
import type { AgentProfile } from "../../protocol/containers.ts";
import type { TokenVerdict } from "./bridge.ts";
import { bearerToken, sendError, sendJson } from "./http-util.ts";
import { describeError, log, warn } from "./log.ts";

export interface ProfileDeps {
  checkToken(token: string, purpose: "profile"): Promise<TokenVerdict>;
  /** The profile for a container of `org`. */
  profile(org: string): AgentProfile;
}

export function createProfileServer(deps: ProfileDeps): Server {
  return createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/v1/profile") return sendError(res, 404, "not_found", "The bridge serves GET /v1/profile here.");
    if (req.method !== "GET") return sendError(res, 405, "method_not_allowed", "Use GET.");
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, "invalid_token", "Send the container token as Authorization: Bearer kct.…");
    deps
      .checkToken(token, "profile")
      .then((verdict) => {
        if (!verdict.ok) return sendError(res, verdict.status, "invalid_token", verdict.reason);
        log(`profile served to container ${verdict.container} of org ${verdict.org}`);
        sendJson(res, 200, deps.profile(verdict.org));
      })
      .catch((error: unknown) => {
        warn(`profile: ${describeError(error)}`);
        sendError(res, 500, "internal", "The bridge failed; see its log.");
      });
  });
}

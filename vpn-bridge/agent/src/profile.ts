import { AgentProfileSchema, type AgentProfile } from "../../../protocol/containers.ts";
import { backoffMs, sleep } from "./backoff.ts";
import type { AgentEnv } from "./env.ts";
import { request, type HttpAnswer } from "./http.ts";
import { describeError, log } from "./log.ts";

export type ProfileOutcome = { kind: "ok"; profile: AgentProfile } | { kind: "refused"; reason: string } | { kind: "retry"; reason: string };

/** What an answer to `GET /v1/profile` (or the failure to get one) means for the agent. */
export function classifyProfileAnswer(answer: HttpAnswer | { error: string }, bridge: string): ProfileOutcome {
  if ("error" in answer) return { kind: "retry", reason: `bridge unreachable at ${bridge} (${answer.error})` };
  if (answer.status === 401 || answer.status === 403) return { kind: "refused", reason: `the bridge refused the token (HTTP ${answer.status}${detail(answer.body)})` };
  if (answer.status !== 200) return { kind: "retry", reason: `the bridge answered HTTP ${answer.status}${detail(answer.body)}` };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { kind: "retry", reason: "the bridge's profile is not JSON" };
  }
  const parsed = AgentProfileSchema.safeParse(json);
  if (!parsed.success) return { kind: "retry", reason: `the bridge's profile is malformed (${parsed.error.issues[0]?.message ?? "?"})` };
  return { kind: "ok", profile: parsed.data };
}

/**
 * Fetches the VPN profile, retrying with backoff while the bridge is unreachable or failing;
 * a refused token ends it at once (retrying would never succeed). Null when `signal` aborts.
 */
export async function fetchProfile(env: AgentEnv, signal: AbortSignal): Promise<ProfileOutcome & { kind: "ok" | "refused" } | null> {
  const url = `${env.bridge}/v1/profile`;
  for (let attempt = 1; !signal.aborted; attempt++) {
    log(`fetching the VPN profile from ${url}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
    const answer = await request(url, { method: "GET", token: env.token, timeoutMs: 10_000 }).catch((error: unknown) => ({ error: describeError(error) }));
    const outcome = classifyProfileAnswer(answer, env.bridge);
    if (outcome.kind !== "retry") return outcome;
    const wait = backoffMs(attempt);
    log(`${outcome.reason}; retrying in ${wait / 1000} s`);
    await sleep(wait, signal);
  }
  return null;
}

function detail(body: string): string {
  const text = body.trim().replace(/\s+/g, " ").slice(0, 200);
  return text ? `: ${text}` : "";
}

import { AGENT_ENV, ContainerIdSchema, parseContainerToken } from "../../../protocol/containers.ts";

/** What the launch command gives the agent. */
export interface AgentEnv {
  container: string;
  token: string;
  /** The bridge's public base URL, without a trailing slash. */
  bridge: string;
}

/** Reads and checks the agent's environment: the env or a list of what is wrong, in words. */
export function readAgentEnv(env: Record<string, string | undefined>): { ok: true; env: AgentEnv } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const container = env[AGENT_ENV.container] ?? "";
  const token = env[AGENT_ENV.token] ?? "";
  const bridge = env[AGENT_ENV.bridge] ?? "";
  if (!container) problems.push(`${AGENT_ENV.container} is not set`);
  else if (!ContainerIdSchema.safeParse(container).success) problems.push(`${AGENT_ENV.container} is not a container id (12 lower-case letters and digits)`);
  if (!token) problems.push(`${AGENT_ENV.token} is not set`);
  else {
    const parsed = parseContainerToken(token);
    if (!parsed) problems.push(`${AGENT_ENV.token} is not a container token (kct.{org}.{container}.{secret})`);
    else if (container && parsed.container !== container) problems.push(`${AGENT_ENV.token} belongs to container ${parsed.container}, not ${container}`);
  }
  if (!bridge) problems.push(`${AGENT_ENV.bridge} is not set`);
  else if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(bridge)) problems.push(`${AGENT_ENV.bridge} is not an http(s) URL`);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, env: { container, token, bridge: bridge.replace(/\/+$/, "") } };
}

/**
 * The agent's exit codes, as `docker ps -a` and `docker logs` show them. Each names what the
 * user must change; 0 is a clean stop (SIGTERM or a `stop` command from the board).
 */
export const ExitCode = {
  ok: 0,
  /** KILN_CONTAINER, KILN_TOKEN or KILN_BRIDGE missing or malformed: the `docker run` line was cut. */
  badEnv: 64,
  /** No `/dev/net/tun` or no NET_ADMIN: `docker run` lacked `--cap-add=NET_ADMIN --device /dev/net/tun`. */
  noTun: 65,
  /** The bridge refused the token (profile 401/403, OpenVPN AUTH_FAILED, report 401/403): the container was deleted or the token is wrong. */
  tokenRefused: 66,
  /** The image's `/etc/kiln/services.json` is not valid: a broken image. */
  badServices: 67,
  /** OpenVPN is not installed or cannot start at all: a broken image. */
  noOpenvpn: 68,
  /** A bug in the agent: the line before the exit says where. */
  crashed: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The flags a user container needs, quoted in every message about them. */
export const TUN_FLAGS = "--cap-add=NET_ADMIN --device /dev/net/tun";

/**
 * The in-container agent, each user-container image's entrypoint (under catatonit, which
 * forwards signals and reaps orphans). It checks the container can join the VPN, fetches
 * its profile, runs OpenVPN, starts the image's services, and reports to the bridge until
 * `docker stop` (SIGTERM) or the board's `stop`. Exit codes: `exit-codes.ts`.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { readAgentEnv } from "./env.ts";
import { ExitCode } from "./exit-codes.ts";
import { describeError, log } from "./log.ts";
import { MetricsSampler } from "./metrics.ts";
import { OpenVpn, writeVpnFiles } from "./openvpn.ts";
import { checkTun } from "./preflight.ts";
import { fetchProfile } from "./profile.ts";
import { GOODBYE_TIMEOUT_MS } from "./report-rules.ts";
import { Reporter } from "./reporter.ts";
import { parseServicesFile } from "./services-file.ts";
import { oidcEnv } from "./oidc-env.ts";
import { ServiceSupervisor } from "./services.ts";
import { VISITOR_INPUT_ENV, VisitorInputFile } from "./visitor-input.ts";

const SERVICES_FILE = process.env.KILN_SERVICES_FILE ?? "/etc/kiln/services.json";
const RUN_DIR = "/run/kiln";
const LOG_DIR = "/var/log/kiln";

async function main(): Promise<void> {
  log(`starting (node ${process.version}, pid ${process.pid})`);
  const shutdown = new AbortController();
  let stopping: Promise<never> | null = null;
  let openvpn: OpenVpn | null = null;
  let supervisor: ServiceSupervisor | null = null;
  let reporter: Reporter | null = null;

  /** Goodbye first (over the VPN, which must still be up), then services, then OpenVPN. */
  /**
   * Goodbye first (over the VPN, which must still be up), then services, then OpenVPN. With
   * `park`, the process then waits for `docker stop` instead of exiting: a container started
   * with `--restart unless-stopped` that exits is started again at once by Docker, so a board's
   * stop would not stick, and a deleted container would knock on the bridge every second.
   */
  const stop = (why: string, code: ExitCode, sayGoodbye = true, park: string | null = null): Promise<never> => {
    stopping ??= (async () => {
      log(`stopping: ${why}`);
      shutdown.abort();
      if (reporter && sayGoodbye) await reporter.goodbye(GOODBYE_TIMEOUT_MS);
      reporter?.stop();
      await supervisor?.stop(3_000);
      await openvpn?.stop(2_000);
      if (park !== null) {
        log(park);
        // A pending promise alone does not keep Node running: with OpenVPN, the services and the
        // reporter gone, the process would end (exit 0) and Docker would start it again at once.
        setInterval(() => undefined, 1 << 30);
        return new Promise<never>(() => undefined);
      }
      log(`stopped (exit ${code})`);
      process.exit(code);
    })();
    return stopping;
  };
  // `docker stop` always ends the process, parked or not.
  const quit = () => {
    if (stopping) {
      log("stopped (exit 0)");
      process.exit(ExitCode.ok);
    }
    void stop("SIGTERM", ExitCode.ok);
  };
  process.on("SIGTERM", quit);
  process.on("SIGINT", quit);

  const env = readAgentEnv(process.env);
  if (!env.ok) {
    for (const problem of env.problems) log(`cannot start: ${problem}`);
    log("copy the whole `docker run` command from Kiln's board: it sets KILN_CONTAINER, KILN_TOKEN and KILN_BRIDGE");
    return exit(ExitCode.badEnv);
  }
  log(`container ${env.env.container}, bridge ${env.env.bridge}`);

  const servicesText = existsSync(SERVICES_FILE) ? readFileSync(SERVICES_FILE, "utf8") : null;
  const services = parseServicesFile(servicesText);
  if (!services.ok) {
    log(`cannot start: ${SERVICES_FILE} is invalid: ${services.problem}`);
    return exit(ExitCode.badServices);
  }
  log(`${services.services.length} service(s) declared in ${SERVICES_FILE}${services.services.length ? `: ${services.services.map((s) => `${s.name}:${s.port}`).join(", ")}` : ""}`);

  const tunProblem = checkTun();
  if (tunProblem) {
    log(`cannot start: ${tunProblem}`);
    return exit(ExitCode.noTun);
  }
  log("tun device and NET_ADMIN present");
  if (!["/usr/sbin/openvpn", "/usr/bin/openvpn"].some((path) => existsSync(path))) {
    log("cannot start: openvpn is not installed in this image");
    return exit(ExitCode.noOpenvpn);
  }

  const profile = await fetchProfile(env.env, shutdown.signal);
  if (!profile) return stopping ?? exit(ExitCode.ok);
  if (profile.kind === "refused") {
    log(`${profile.reason}: the container was deleted on the board, or the token is not this container's; not retrying`);
    return exit(ExitCode.tokenRefused);
  }
  log(`VPN profile received; reports will go to ${profile.profile.reportUrl}`);

  mkdirSync(LOG_DIR, { recursive: true });
  const files = writeVpnFiles(RUN_DIR, profile.profile.ovpn, env.env.container, env.env.token);
  const sampler = new MetricsSampler();
  let vpnUp: () => void = () => {};
  const firstUp = new Promise<void>((resolve) => (vpnUp = resolve));
  openvpn = new OpenVpn(
    files,
    {
      onUp: () => {
        vpnUp();
        // After a reconnect the bridge may have lost track of us: tell it everything at once.
        if (reporter) void reporter.beat();
      },
      onAuthFailed: () => {
        log("the bridge's OpenVPN refused the token: the container was deleted on the board, or the token is not this container's; not retrying");
        void stop("token refused", ExitCode.tokenRefused, false);
      },
    },
    `${LOG_DIR}/openvpn.log`,
  );
  openvpn.start();
  const waitStarted = Date.now();
  await Promise.race([firstUp, new Promise((resolve) => shutdown.signal.addEventListener("abort", resolve, { once: true }))]);
  if (shutdown.signal.aborted) return stopping ?? exit(ExitCode.ok);
  log(`joined the VPN in ${((Date.now() - waitStarted) / 1000).toFixed(1)} s`);

  // The bridge's VPN address: where every visitor comes from through its Nginx (the terminal believes only it).
  const vpnServer = new URL(profile.profile.reportUrl).hostname;
  const issuer = profile.profile.oidcIssuer;
  const visitorInput = new VisitorInputFile(`${RUN_DIR}/visitor-input`);
  supervisor = new ServiceSupervisor(services.services, () => reporter?.servicesChanged(), LOG_DIR, { KILN_VPN_SERVER: vpnServer, [VISITOR_INPUT_ENV]: visitorInput.path }, (spec) =>
    oidcEnv({ container: env.env.container, token: env.env.token, service: spec.name, declares: spec.oidc !== undefined, issuer }),
  );
  const running = supervisor;
  reporter = new Reporter(
    profile.profile.reportUrl,
    env.env.token,
    sampler,
    () => running.listening(),
    (command) => {
      if (command === "stop") {
        void stop("the board asked this container to stop", ExitCode.ok, true, `stopped from the board; to start it again: docker restart kiln-${env.env.container}`);
      }
      else {
        log("the board asked to restart the services");
        void running.restart(3_000);
      }
    },
    () =>
      void stop(
        "the bridge refused the token on a report: the container was deleted on the board, or its token renewed or revoked",
        ExitCode.tokenRefused,
        false,
        `this container no longer belongs to Kiln: remove it with docker rm -f kiln-${env.env.container} (or run a new launch command from the board)`,
      ),
    visitorInput,
  );
  supervisor.start();
  reporter.start();
}

function exit(code: ExitCode): never {
  log(`exit ${code}`);
  process.exit(code);
}

/** An unforeseen error: said in one line where `docker logs` shows it, and a distinct exit code. */
function crash(error: unknown): never {
  log(`crashed: ${error instanceof Error && error.stack ? error.stack : describeError(error)}`);
  process.exit(ExitCode.crashed);
}
process.on("uncaughtException", crash);
main().catch(crash);

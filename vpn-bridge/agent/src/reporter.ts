import type { AgentReport, AgentReportAnswer, Service } from "../../../protocol/containers.ts";
import { request } from "./http.ts";
import { describeError, log } from "./log.ts";
import type { MetricsSampler } from "./metrics.ts";
import type { VisitorInputFile } from "./visitor-input.ts";
import { BEAT_TIMEOUT_MS, classifyReportAnswer, deliveryLogLine, HEARTBEAT_MS, servicesKey, type ReportOutcome } from "./report-rules.ts";

/** How soon, and how many times, a first report that did not get through is sent again. */
const FIRST_REPORT_RETRY_MS = 250;
const FIRST_REPORT_RETRIES = 40;

/**
 * Reports to the bridge over the VPN: a beat every 5 s, another at once when the services that
 * listen change, and the goodbye. Commands in the answers go to `onCommand`.
 */
export class Reporter {
  #timer: NodeJS.Timeout | null = null;
  #sending = false;
  #again = false;
  #failure: string | null = null;
  #delivered = 0;
  #sentKey: string | null = null;
  #quickRetries = 0;

  constructor(
    private readonly reportUrl: string,
    private readonly token: string,
    private readonly sampler: MetricsSampler,
    private readonly services: () => Service[],
    private readonly onCommand: (command: NonNullable<AgentReportAnswer["command"]>) => void,
    private readonly onRefused: () => void,
    /** Where services note visitor input the bridge cannot see (typing in a terminal). */
    private readonly visitorInput: VisitorInputFile | null = null,
  ) {}

  start(): void {
    log(`reporting to ${this.reportUrl} every ${HEARTBEAT_MS / 1000} s`);
    this.#timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    void this.beat();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Sends a beat now if the services changed since the last report sent. */
  servicesChanged(): void {
    const key = servicesKey(this.services());
    if (key === this.#sentKey) return;
    log(`services now listening: ${key || "none"}; reporting at once`);
    void this.beat();
  }

  /** One beat; if one is in flight, another follows it (so the newest services always go out). */
  async beat(): Promise<void> {
    if (this.#sending) {
      this.#again = true;
      return;
    }
    this.#sending = true;
    try {
      do {
        this.#again = false;
        const services = this.services();
        this.#sentKey = servicesKey(services);
        const input = this.visitorInput?.pending() ?? null;
        const outcome = await this.#send({ kind: "beat", services, metrics: await this.sampler.sample(), ...(input !== null && { visitorInput: true }) }, BEAT_TIMEOUT_MS);
        if (input !== null && outcome.kind === "delivered") this.visitorInput?.reported(input);
        this.#handle(outcome);
      } while (this.#again && this.#timer);
    } finally {
      this.#sending = false;
    }
  }

  /** The goodbye: best effort within `timeoutMs`, so `docker stop` stays quick. */
  async goodbye(timeoutMs: number): Promise<boolean> {
    this.stop();
    const started = Date.now();
    const outcome = await this.#send({ kind: "goodbye", services: [], metrics: null }, timeoutMs);
    log(outcome.kind === "delivered" ? `goodbye delivered in ${Date.now() - started} ms` : `goodbye not delivered (${outcome.reason})`);
    return outcome.kind === "delivered";
  }

  async #send(report: AgentReport, timeoutMs: number): Promise<ReportOutcome> {
    const answer = await request(this.reportUrl, { method: "POST", token: this.token, body: report, timeoutMs }).catch((error: unknown) => ({ error: describeError(error) }));
    return classifyReportAnswer(answer);
  }

  #handle(outcome: ReportOutcome): void {
    const line = deliveryLogLine(this.#failure, outcome, this.#delivered === 0);
    if (line) log(line);
    if (outcome.kind === "delivered") {
      this.#failure = null;
      this.#delivered++;
      if (outcome.command) this.onCommand(outcome.command);
    } else if (outcome.kind === "refused") {
      this.stop();
      this.onRefused();
    } else {
      this.#failure = outcome.reason;
      // Until one report got through, try again soon rather than at the next beat: the bridge may
      // not have seen the VPN session yet (503), and the board waits for this report to say running.
      if (this.#delivered === 0 && this.#timer && this.#quickRetries++ < FIRST_REPORT_RETRIES) setTimeout(() => void this.beat(), FIRST_REPORT_RETRY_MS);
    }
  }
}

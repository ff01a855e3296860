import { execFile } from "node:child_process";
import { existsSync, readFileSync, statfsSync } from "node:fs";
import type { Metrics } from "../../../protocol/containers.ts";
import { describeError, log } from "./log.ts";
import { cgroupCpuPercent, cpuPercent, parseCgroupCpuUsage, parseCgroupMemory, parseMeminfo, parseNvidiaSmi, parseProcStat, type CpuSample, type Gpu } from "./metrics-parse.ts";

const CGROUP = "/sys/fs/cgroup";
const NVIDIA_QUERY = ["--query-gpu=name,utilization.gpu,memory.used,memory.total", "--format=csv,noheader,nounits"];

/**
 * Samples the container's metrics. CPU is measured between two calls, from the container's
 * cgroup v2 counters when the container has its own cgroup, else from the machine's /proc/stat.
 */
export class MetricsSampler {
  #cgroupCpu: { usageUs: number; atUs: number } | null = null;
  #procCpu: CpuSample | null = null;
  #nvidiaSmi: string | null;
  #gpuWarned = false;

  constructor() {
    this.#nvidiaSmi = findOnPath("nvidia-smi");
    this.#sampleCpu();
  }

  /** The metrics since the previous call (CPU) and now (memory, disk, GPUs). */
  async sample(): Promise<Metrics> {
    const cpu = this.#sampleCpu();
    return { cpuPercent: cpu, memory: readMemory(), disk: readDisk(), gpus: await this.#readGpus() };
  }

  #sampleCpu(): number {
    const usage = readOrNull(`${CGROUP}/cpu.stat`);
    const usageUs = usage === null ? null : parseCgroupCpuUsage(usage);
    if (usageUs !== null) {
      const atUs = Number(process.hrtime.bigint() / 1000n);
      const before = this.#cgroupCpu;
      this.#cgroupCpu = { usageUs, atUs };
      return before ? cgroupCpuPercent(before.usageUs, usageUs, atUs - before.atUs) : 0;
    }
    const stat = readOrNull("/proc/stat");
    const sample = stat === null ? null : parseProcStat(stat);
    if (!sample) return 0;
    const before = this.#procCpu;
    this.#procCpu = sample;
    return before ? cpuPercent(before, sample) : 0;
  }

  async #readGpus(): Promise<Gpu[]> {
    if (!this.#nvidiaSmi) return [];
    try {
      return parseNvidiaSmi(await run(this.#nvidiaSmi, NVIDIA_QUERY, 3_000));
    } catch (error) {
      if (!this.#gpuWarned) log(`nvidia-smi failed, GPUs not reported: ${describeError(error)}`);
      this.#gpuWarned = true;
      return [];
    }
  }
}

function readMemory(): Metrics["memory"] {
  const machine = parseMeminfo(readOrNull("/proc/meminfo") ?? "") ?? { used: 0, total: 0 };
  return parseCgroupMemory(readOrNull(`${CGROUP}/memory.current`), readOrNull(`${CGROUP}/memory.max`), machine.total) ?? machine;
}

function readDisk(): Metrics["disk"] {
  try {
    const fs = statfsSync("/");
    return { used: (fs.blocks - fs.bfree) * fs.bsize, total: fs.blocks * fs.bsize };
  } catch {
    return { used: 0, total: 0 };
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    if (dir && existsSync(`${dir}/${command}`)) return `${dir}/${command}`;
  }
  return null;
}

function run(file: string, args: string[], timeout: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

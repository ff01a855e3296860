/** Pure readers of the kernel's and nvidia-smi's text, for the heartbeat's metrics. */

/** CPU time counters, in the unit of their source (USER_HZ ticks for /proc/stat, µs for cgroup v2). */
export interface CpuSample {
  busy: number;
  total: number;
  /** How many CPUs the counters cover; 1 for cgroup counters already in wall-clock units. */
  cpus: number;
}

/** Reads `/proc/stat`: the aggregate `cpu` line (idle = idle + iowait) and the number of `cpuN` lines. */
export function parseProcStat(text: string): CpuSample | null {
  const line = /^cpu\s+([\d\s]+)$/m.exec(text);
  if (!line) return null;
  const fields = line[1]!.trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already in user and nice.
  const counted = fields.slice(0, 8);
  const total = counted.reduce((sum, value) => sum + value, 0);
  const idle = (counted[3] ?? 0) + (counted[4] ?? 0);
  const cpus = text.match(/^cpu\d+\s/gm)?.length ?? 1;
  return { busy: total - idle, total, cpus };
}

/** CPU use between two samples, 0–100 × cpus (100 = one core busy the whole time). */
export function cpuPercent(before: CpuSample, after: CpuSample): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const busy = Math.max(0, after.busy - before.busy);
  return round1(Math.min(1, busy / total) * 100 * after.cpus);
}

/** CPU use from cgroup v2 `cpu.stat` usage over a wall-clock interval, both in µs. */
export function cgroupCpuPercent(usageBeforeUs: number, usageAfterUs: number, wallUs: number): number {
  if (wallUs <= 0) return 0;
  return round1(Math.max(0, usageAfterUs - usageBeforeUs) / wallUs * 100);
}

/** Reads `usage_usec` from cgroup v2 `cpu.stat`. */
export function parseCgroupCpuUsage(text: string): number | null {
  const match = /^usage_usec\s+(\d+)$/m.exec(text);
  return match ? Number(match[1]) : null;
}

/** Memory in bytes from `/proc/meminfo`: used = MemTotal − MemAvailable. */
export function parseMeminfo(text: string): { used: number; total: number } | null {
  const kb = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const total = kb("MemTotal");
  const available = kb("MemAvailable");
  if (total === null || available === null) return null;
  return { used: Math.max(0, total - available), total };
}

/**
 * Memory in bytes from cgroup v2 `memory.current` and `memory.max` (`max` = no limit, then the
 * machine's total stands in); null when `memory.current` is unreadable.
 */
export function parseCgroupMemory(current: string | null, max: string | null, machineTotal: number): { used: number; total: number } | null {
  if (current === null || !/^\d+\s*$/.test(current)) return null;
  const used = Number(current.trim());
  const limit = max !== null && /^\d+\s*$/.test(max) ? Number(max.trim()) : null;
  return { used, total: limit !== null && limit < machineTotal ? limit : machineTotal };
}

export interface Gpu {
  name: string;
  utilPercent: number;
  memoryUsed: number;
  memoryTotal: number;
}

/** Reads `nvidia-smi --query-gpu=name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits` (MiB). */
export function parseNvidiaSmi(text: string): Gpu[] {
  const gpus: Gpu[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const parts = line.split(",").map((part) => part.trim());
    if (parts.length < 4) continue;
    const [name, util, used, total] = parts as [string, string, string, string];
    const numbers = [util, used, total].map(Number);
    // "[N/A]" or "[Not Supported]" on some boards: skip rather than report a made-up zero.
    if (numbers.some((value) => !Number.isFinite(value))) continue;
    gpus.push({ name: name.slice(0, 120), utilPercent: Math.min(100, Math.max(0, numbers[0]!)), memoryUsed: numbers[1]! * 1024 * 1024, memoryTotal: numbers[2]! * 1024 * 1024 });
  }
  return gpus.slice(0, 16);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

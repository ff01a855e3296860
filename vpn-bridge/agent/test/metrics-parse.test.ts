import { describe, expect, it } from "vitest";
import { cgroupCpuPercent, cpuPercent, parseCgroupCpuUsage, parseCgroupMemory, parseMeminfo, parseNvidiaSmi, parseProcStat } from "../src/metrics-parse.ts";

const STAT_BEFORE = `cpu  100 0 50 800 50 0 0 0 0 0
cpu0 50 0 25 400 25 0 0 0 0 0
cpu1 50 0 25 400 25 0 0 0 0 0
intr 12345
ctxt 999
`;
// 200 more ticks in total, of which 150 busy (user +100, system +50) and 50 idle.
const STAT_AFTER = `cpu  200 0 100 850 50 0 0 0 10 0
cpu0 100 0 50 425 25 0 0 0 5 0
cpu1 100 0 50 425 25 0 0 0 5 0
`;

describe("/proc/stat", () => {
  it("reads busy and total ticks (idle = idle + iowait, guest not counted twice) and the number of CPUs", () => {
    expect(parseProcStat(STAT_BEFORE)).toEqual({ busy: 150, total: 1000, cpus: 2 });
    expect(parseProcStat(STAT_AFTER)).toEqual({ busy: 300, total: 1200, cpus: 2 });
  });

  it("turns two samples into percent of one core: 75 % of 2 cores busy = 150", () => {
    expect(cpuPercent(parseProcStat(STAT_BEFORE)!, parseProcStat(STAT_AFTER)!)).toBe(150);
  });

  it("says 0 when no time passed, and refuses text without a cpu line", () => {
    const sample = parseProcStat(STAT_BEFORE)!;
    expect(cpuPercent(sample, sample)).toBe(0);
    expect(parseProcStat("intr 1\n")).toBeNull();
  });
});

describe("cgroup v2 CPU", () => {
  it("reads usage_usec and turns it into percent of one core over wall time", () => {
    expect(parseCgroupCpuUsage("usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")).toBe(2_500_000);
    expect(parseCgroupCpuUsage("user_usec 1\n")).toBeNull();
    // 1.5 s of CPU in 1 s of wall time: one and a half cores.
    expect(cgroupCpuPercent(1_000_000, 2_500_000, 1_000_000)).toBe(150);
    expect(cgroupCpuPercent(5, 5, 0)).toBe(0);
  });
});

describe("memory", () => {
  const MEMINFO = "MemTotal:        4000000 kB\nMemFree:          100000 kB\nMemAvailable:    3000000 kB\nBuffers:   1 kB\n";

  it("reads /proc/meminfo: used = total − available, in bytes", () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ used: 1_000_000 * 1024, total: 4_000_000 * 1024 });
    expect(parseMeminfo("MemTotal: 1 kB\n")).toBeNull();
  });

  it("prefers the cgroup's usage and limit, and the machine's total when the limit is `max` or above it", () => {
    expect(parseCgroupMemory("1048576\n", "2097152\n", 8_000_000_000)).toEqual({ used: 1_048_576, total: 2_097_152 });
    expect(parseCgroupMemory("1048576\n", "max\n", 8_000_000_000)).toEqual({ used: 1_048_576, total: 8_000_000_000 });
    expect(parseCgroupMemory("1048576\n", "9000000000\n", 8_000_000_000)).toEqual({ used: 1_048_576, total: 8_000_000_000 });
    expect(parseCgroupMemory(null, "max", 8)).toBeNull();
  });
});

describe("nvidia-smi", () => {
  it("reads one GPU per line in bytes, and skips a line with [N/A]", () => {
    const text = "NVIDIA A100-SXM4-40GB, 37, 1024, 40960\nTesla T4, [N/A], 10, 15360\n\n";
    expect(parseNvidiaSmi(text)).toEqual([{ name: "NVIDIA A100-SXM4-40GB", utilPercent: 37, memoryUsed: 1024 * 1024 * 1024, memoryTotal: 40960 * 1024 * 1024 }]);
    expect(parseNvidiaSmi("")).toEqual([]);
  });
});

/** Words and numbers for a container's state, age and metrics. Pure. */
import type { ContainerState, Metrics, ShareLevel } from "../../../../protocol/containers";

/** How long ago `since` was, in a word or two ("just now", "3 min", "2 h", "4 days"). */
export function durationWords(since: number, now: number): string {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 45) return "just now";
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} days`;
}

/** A state in words, as the pill shows it. */
export const STATE_WORDS: Record<ContainerState, string> = {
  created: "waiting to start",
  connecting: "connecting",
  running: "running",
  unreachable: "unreachable",
  stopped: "stopped",
  deleted: "deleted",
};

/** What each state means, for the pill's tooltip. */
export const STATE_HINTS: Record<ContainerState, string> = {
  created: "Created here: run its launch command on a machine with Docker to start it.",
  connecting: "It joined the network; waiting for its first heartbeat.",
  running: "It is running and reporting.",
  unreachable: "No heartbeat lately: its machine may be off or offline.",
  stopped: "It was stopped. Run its launch command again (or docker start) to bring it back.",
  deleted: "It was deleted.",
};

/** "running · 3 min", "waiting to start · just now". */
export const stateLine = (state: ContainerState, since: number, now: number) => `${STATE_WORDS[state]} · ${durationWords(since, now)}`;

export const SHARE_WORDS: Record<ShareLevel, string> = {
  owner: "Only its owner",
  project: "Project members",
  org: "Everyone in the organization",
  link: "Anyone with the link",
};

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];
/** Bytes in a short, binary unit: 512 MB, 3.2 GB. */
export function bytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 10 || u === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

/** used/total as "1.2 / 8 GB" when both share a unit, else both in full. */
export function usedOf(used: number, total: number): string {
  const [uv, uu] = bytes(used).split(" ");
  const [tv, tu] = bytes(total).split(" ");
  return uu === tu ? `${uv} / ${tv} ${tu}` : `${bytes(used)} / ${bytes(total)}`;
}

/** A share of a whole, 0–100 (0 when the whole is 0). */
export const percentOf = (used: number, total: number) => (total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0);

/** The metrics as the node's compact rows: label, value, and a fill 0–100 for a bar. */
export function metricRows(m: Metrics): { label: string; value: string; fill: number; title: string }[] {
  return [
    { label: "CPU", value: `${Math.round(m.cpuPercent)}%`, fill: Math.min(100, m.cpuPercent), title: "CPU use over the last interval (100% is one core)" },
    { label: "Mem", value: usedOf(m.memory.used, m.memory.total), fill: percentOf(m.memory.used, m.memory.total), title: "Memory used / total" },
    { label: "Disk", value: usedOf(m.disk.used, m.disk.total), fill: percentOf(m.disk.used, m.disk.total), title: "Disk used / total" },
    ...m.gpus.map((g, i) => ({
      label: m.gpus.length > 1 ? `GPU${i}` : "GPU",
      value: `${Math.round(g.utilPercent)}% · ${usedOf(g.memoryUsed, g.memoryTotal)}`,
      fill: g.utilPercent,
      title: `${g.name}: use, memory used / total`,
    })),
  ];
}

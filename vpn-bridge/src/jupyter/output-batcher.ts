/**
 * A run's outputs on their way to the gateway. The first output goes at once (a `1 + 1` must
 * not wait); after that they are gathered for a short while, consecutive stream chunks joined,
 * so a loop printing thousands of lines makes a few events, not thousands. Past the cell's cap
 * (or a single output too large for a gateway frame, dropped whole with a notice) nothing more
 * is sent, only a count of what was dropped: the cell keeps the run's beginning.
 */
import { CELL_OUTPUT_CAP_BYTES, type CellOutput, MAX_OUTPUT_BYTES, OUTPUT_BATCH_BYTES, outputBytes } from "../../../protocol/jupyter.ts";

export interface Batch {
  outputs: CellOutput[];
  dropped: number;
}

export class OutputBatcher {
  private pending: CellOutput[] = [];
  private pendingBytes = 0;
  private sentBytes = 0;
  private dropped = 0;
  private droppedReported = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(
    private readonly send: (batch: Batch) => void,
    private readonly windowMs = 30,
    private readonly now: () => number = Date.now,
  ) {}

  add(output: CellOutput): void {
    const size = outputBytes(output);
    // After the first cut nothing more is kept: what the cell shows is the run's beginning, whole.
    if (this.dropped > 0) {
      this.dropped += size;
      return this.schedule();
    }
    if (output.type === "stream" && size > PIECE_BYTES) this.addLongStream(output, size);
    else this.addOne(output, size);
  }

  /** A long stream (ipykernel sends a print flood in big chunks): in pieces, up to the cap. */
  private addLongStream(output: Extract<CellOutput, { type: "stream" }>, size: number): void {
    const room = CELL_OUTPUT_CAP_BYTES - this.sentBytes - this.pendingBytes;
    const text = size > room ? fitText(output, room) : output.text;
    // JSON escapes make bytes per character uneven: pieces in proportion.
    const step = Math.max(1, Math.floor((output.text.length * PIECE_BYTES) / size));
    let at = 0;
    while (at < text.length && this.dropped === 0) {
      const piece = { ...output, text: text.slice(at, at + step) };
      at += piece.text.length;
      this.addOne(piece, outputBytes(piece));
    }
    if (at < output.text.length) this.dropped += outputBytes({ ...output, text: output.text.slice(at) });
    this.schedule();
  }

  private addOne(output: CellOutput, size: number): void {
    // Batches stay below a gateway frame: what is gathered goes first if this would overfill it.
    if (this.pendingBytes > 0 && this.pendingBytes + size > OUTPUT_BATCH_BYTES) this.flush();
    if (size > MAX_OUTPUT_BYTES) {
      this.dropped += size;
      this.pending.push({ type: "notice", text: `An output of ${Math.round(size / 1024)} KiB was too large to show (at most ${MAX_OUTPUT_BYTES / 1024} KiB each).` });
    } else if (this.sentBytes + this.pendingBytes + size > CELL_OUTPUT_CAP_BYTES) {
      this.dropped += size;
    } else {
      const last = this.pending.at(-1);
      if (output.type === "stream" && last?.type === "stream" && last.name === output.name) {
        this.pending[this.pending.length - 1] = { ...last, text: last.text + output.text };
      } else this.pending.push(output);
      this.pendingBytes += size;
    }
    if (this.pendingBytes >= OUTPUT_BATCH_BYTES) return this.flush();
    this.schedule();
  }

  /** Sends what is gathered now (at the run's end, say). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const newlyDropped = this.dropped - this.droppedReported;
    if (this.pending.length === 0 && newlyDropped === 0) return;
    const batch = { outputs: this.pending, dropped: newlyDropped };
    this.sentBytes += this.pendingBytes;
    this.droppedReported = this.dropped;
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlush = this.now();
    this.send(batch);
  }

  /** Stops without sending (the run was forgotten). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.lastFlush + this.windowMs - this.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => this.flush(), wait);
  }
}

/** Pieces of a long stream: about this many bytes of JSON each. */
const PIECE_BYTES = 64 * 1024;

/** The beginning of a stream's text whose output takes at most `room` bytes of JSON. */
function fitText(output: Extract<CellOutput, { type: "stream" }>, room: number): string {
  const size = outputBytes(output);
  let keep = Math.floor((Math.max(0, room - 100) * output.text.length) / size);
  while (keep > 0 && outputBytes({ ...output, text: output.text.slice(0, keep) }) > room) keep = Math.floor(keep * 0.98);
  return output.text.slice(0, keep);
}

/**
 * A session's recent output, kept in bytes up to a capacity and replayed to a page that
 * (re)connects. The oldest bytes go first; after a cut the replay starts at the next line,
 * so it does not open with half a line or half an escape sequence of it.
 */

/** 2 MiB: 5,000 lines of 400 bytes, colours and cursor moves included. */
export const DEFAULT_RING_BYTES = 2 * 1024 * 1024;

export class RingBuffer {
  #chunks: Buffer[] = [];
  #bytes = 0;

  constructor(readonly capacity: number = DEFAULT_RING_BYTES) {
    if (!(capacity > 0)) throw new Error("a ring buffer needs a positive capacity");
  }

  /** How many bytes it holds. */
  get size(): number {
    return this.#bytes;
  }

  push(data: Buffer | string): void {
    let chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (chunk.length === 0) return;
    const tooBig = chunk.length > this.capacity;
    if (tooBig) chunk = chunk.subarray(chunk.length - this.capacity);
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    this.#trim(tooBig);
  }

  /** Everything it holds, oldest first. */
  contents(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#bytes)];
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }

  #trim(cut: boolean): void {
    while (this.#bytes > this.capacity) {
      const first = this.#chunks[0]!;
      const excess = this.#bytes - this.capacity;
      cut = true;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#bytes -= first.length;
      } else {
        this.#chunks[0] = first.subarray(excess);
        this.#bytes -= excess;
      }
    }
    if (!cut) return;
    // Start at a line: drop up to the first newline of what is left (if one comes soon).
    const first = this.#chunks[0];
    if (!first) return;
    const newline = first.indexOf(0x0a);
    if (newline >= 0 && newline < 4096) {
      this.#chunks[0] = first.subarray(newline + 1);
      this.#bytes -= newline + 1;
      if (this.#chunks[0].length === 0) this.#chunks.shift();
    }
  }
}

/**
 * Incremental framing of the Postgres wire protocol, just enough to know where a
 * session is idle: client messages that end a request (Query, Sync, the startup
 * packet) and the server's ReadyForQuery with its transaction status.
 */

const SSL_REQUEST_CODE = 80877103;

/** Splits a byte stream into protocol messages as they complete. */
export class FrameReader {
  private buffer = Buffer.alloc(0);
  private startupPending: boolean;

  /** `startup`: the first message has no type byte (the client's startup packet). */
  constructor(startup: boolean) {
    this.startupPending = startup;
  }

  /** Feeds bytes, returns the messages completed by them: type ("" for startup/SSL request) and body. */
  push(chunk: Uint8Array): { type: string; body: Buffer }[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: { type: string; body: Buffer }[] = [];
    for (;;) {
      if (this.startupPending) {
        if (this.buffer.length < 8) break;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) break;
        const body = this.buffer.subarray(4, length);
        this.buffer = this.buffer.subarray(length);
        // An SSL request is followed by the real startup packet.
        this.startupPending = body.readInt32BE(0) === SSL_REQUEST_CODE;
        out.push({ type: this.startupPending ? "ssl" : "", body });
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) break;
      out.push({ type: String.fromCharCode(this.buffer[0]!), body: this.buffer.subarray(5, 1 + length) });
      this.buffer = this.buffer.subarray(1 + length);
    }
    return out;
  }
}

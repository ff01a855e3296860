/** One line per step on stdout, which `docker logs` shows: a time, the agent's name, the message. */
export function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} kiln-agent: ${message}\n`);
}

/** The short form of an error for a log line (`ECONNREFUSED`, `timeout after 3000 ms`, …). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  }
  return String(error);
}

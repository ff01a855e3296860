/** The bridge's log: one line per event, prefixed so it reads apart from OpenVPN's and Nginx's. */
export function log(message: string): void {
  console.log(`${new Date().toISOString()} bridge: ${message}`);
}

export function warn(message: string): void {
  console.warn(`${new Date().toISOString()} bridge: ${message}`);
}

/** A thrown value as a short sentence. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return "code" in error && typeof error.code === "string" ? `${error.message} (${error.code})` : error.message;
  return String(error);
}

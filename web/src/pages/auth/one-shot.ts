/**
 * Emailed links work once. React runs effects twice in development, and a person may reload:
 * each token is sent to the API at most once per page load, and every caller shares the answer.
 */
const calls = new Map<string, Promise<unknown>>();

/** `call(token)`, once per `key`. */
export function once<T>(key: string, call: () => Promise<T>): Promise<T> {
  let promise = calls.get(key) as Promise<T> | undefined;
  if (!promise) {
    promise = call();
    calls.set(key, promise);
  }
  return promise;
}

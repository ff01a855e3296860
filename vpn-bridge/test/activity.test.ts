/** Visitor activity: what counts as use, and how often it reaches the gateway. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { VisitorActivity, isVisitorActivity } from "../src/activity.ts";

describe("what counts as a visitor's use", () => {
  it("counts a page opened, a socket opened and a change sent; not a script's background GET", () => {
    expect(isVisitorActivity({ method: "GET", fetchMode: "navigate", upgrade: false })).toBe(true);
    expect(isVisitorActivity({ method: "GET", fetchMode: "websocket", upgrade: true })).toBe(true);
    expect(isVisitorActivity({ method: "POST", fetchMode: "cors", upgrade: false })).toBe(true);
    expect(isVisitorActivity({ method: "PUT", fetchMode: "same-origin", upgrade: false })).toBe(true);
    // A tab left open polling its API, or loading its images: not use.
    expect(isVisitorActivity({ method: "GET", fetchMode: "cors", upgrade: false })).toBe(false);
    expect(isVisitorActivity({ method: "GET", fetchMode: "no-cors", upgrade: false })).toBe(false);
    expect(isVisitorActivity({ method: "HEAD", fetchMode: "same-origin", upgrade: false })).toBe(false);
    // curl, or a browser without Fetch Metadata: counted.
    expect(isVisitorActivity({ method: "GET", fetchMode: null, upgrade: false })).toBe(true);
    expect(isVisitorActivity({ method: "GET", fetchMode: "", upgrade: false })).toBe(true);
  });
});

describe("visitor activity to the gateway", () => {
  let sent: string[];
  let activity: VisitorActivity;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    activity = new VisitorActivity((org, container) => sent.push(`${org}/${container}`), 60_000);
  });
  afterEach(() => {
    activity.stop();
    vi.useRealTimers();
  });

  it("sends the first use at once, then at most once a minute per container, the last burst at the minute's end", () => {
    activity.touch("o", "a");
    activity.touch("o", "a");
    activity.touch("o", "b");
    expect(sent).toEqual(["o/a", "o/b"]);
    vi.advanceTimersByTime(30_000);
    activity.touch("o", "a");
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(30_000);
    expect(sent).toEqual(["o/a", "o/b", "o/a"]);
    // Quiet since: nothing more, and the next use goes out at once.
    vi.advanceTimersByTime(10 * 60_000);
    expect(sent).toHaveLength(3);
    activity.touch("o", "a");
    expect(sent).toHaveLength(4);
  });

  it("forgets a removed container's pending use", () => {
    activity.touch("o", "a");
    activity.touch("o", "a");
    activity.forget("a");
    vi.advanceTimersByTime(120_000);
    expect(sent).toEqual(["o/a"]);
  });
});

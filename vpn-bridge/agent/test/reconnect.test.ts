import { describe, expect, it } from "vitest";
import { classifyProbe, nextDelay } from "../src/terminal/page/reconnect.ts";

describe("the terminal page's reconnection", () => {
  it("backs off from half a second to 15 s, with jitter within ±20 %", () => {
    expect(nextDelay(0, () => 0.5)).toBe(500);
    expect(nextDelay(1, () => 0.5)).toBe(1000);
    expect(nextDelay(4, () => 0.5)).toBe(8000);
    expect(nextDelay(5, () => 0.5)).toBe(15_000);
    expect(nextDelay(50, () => 0.5)).toBe(15_000);
    expect(nextDelay(0, () => 0)).toBe(400);
    expect(nextDelay(0, () => 1)).toBe(600);
  });

  it("tells access ended, a deleted container, a stopped one and a network hiccup apart", () => {
    expect(classifyProbe({ type: "opaqueredirect", status: 0 })).toBe("signed-out");
    expect(classifyProbe({ type: "basic", status: 403 })).toBe("signed-out");
    expect(classifyProbe({ type: "basic", status: 404 })).toBe("gone");
    expect(classifyProbe({ type: "basic", status: 503 })).toBe("not-running");
    expect(classifyProbe({ type: "basic", status: 502 })).toBe("not-running");
    expect(classifyProbe({ type: "basic", status: 200 })).toBe("unreachable");
    expect(classifyProbe(null)).toBe("unreachable");
  });
});

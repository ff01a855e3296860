/** The visitor-input file: a service touches it, the agent's beats say so until one gets through. */
import { mkdtempSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VisitorInputFile, visitorInputToucher } from "../src/visitor-input.ts";

describe("visitor input", () => {
  const dir = mkdtempSync(join(tmpdir(), "kiln-input-"));
  afterEach(() => rmSync(join(dir, "input"), { force: true }));

  it("is news once touched, until a beat saying so is delivered; then only a newer touch is", () => {
    const file = new VisitorInputFile(join(dir, "input"));
    expect(file.pending()).toBeNull();
    visitorInputToucher(file.path)();
    const at = file.pending();
    expect(at).not.toBeNull();
    // Not delivered: still news.
    expect(file.pending()).toBe(at);
    file.reported(at!);
    expect(file.pending()).toBeNull();
    const later = new Date(at! + 5_000);
    utimesSync(file.path, later, later);
    expect(file.pending()).toBeGreaterThan(at!);
  });

  it("touches at most once per interval, and not at all without a path", () => {
    const file = new VisitorInputFile(join(dir, "input"));
    const touch = visitorInputToucher(file.path, 60_000);
    touch();
    const first = file.pending()!;
    file.reported(first);
    touch();
    expect(file.pending()).toBeNull();
    expect(() => visitorInputToucher(undefined)()).not.toThrow();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { readViewport, writeViewport } from "../src/board/viewport-memory";

describe("viewport memory", () => {
  afterEach(() => localStorage.clear());

  it("gives back a view's viewport, per project and view", () => {
    writeViewport("org/p1", "main", { x: 10.4, y: -20.6, zoom: 1.23456 });
    writeViewport("org/p2", "main", { x: 1, y: 2, zoom: 0.5 });
    expect(readViewport("org/p1", "main")).toEqual({ x: 10.4, y: -20.6, zoom: 1.23456 });
    expect(readViewport("org/p2", "main")).toEqual({ x: 1, y: 2, zoom: 0.5 });
    expect(readViewport("org/p1", "other")).toBeNull();
  });

  it("ignores what it cannot use", () => {
    localStorage.setItem("kiln:viewport:org/p:a", "{not json");
    localStorage.setItem("kiln:viewport:org/p:b", JSON.stringify({ x: 1, y: 2, zoom: 0 }));
    localStorage.setItem("kiln:viewport:org/p:c", JSON.stringify({ x: "1", y: 2, zoom: 1 }));
    for (const view of ["a", "b", "c"]) expect(readViewport("org/p", view)).toBeNull();
  });
});

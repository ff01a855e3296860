import { describe, expect, it } from "vitest";
import { permissionGroups, permissionLabel } from "../src/pages/project/permissions";

describe("custom role permissions in words", () => {
  it("name every permission a module declares", () => {
    const all = permissionGroups.flatMap((g) => g.permissions);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((p) => permissionLabel(p) === p)).toEqual([]);
  });
});

/**
 * Records a module reads back are checked when read (issue #14): a role, an assignment or a
 * placement that is not what its module wrote is skipped and logged once, and the member it
 * concerns still gets answers, in the pipeline and through the gateway after a reload.
 */
import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import type { GatewayDO } from "../src/gateway-do";
import { runEvent } from "../src/events/pipeline";
import { nodesOf } from "../src/modules/core-graph";
import { assignmentsOf, customGrants, rolesOf } from "../src/modules/roles";
import { placementKey, placementsIn, placementsOf, zRange } from "../src/modules/whiteboard/placements";
import { DocStore } from "../src/storage/doc-store";
import { admin, richProjectDoc } from "./doc-oracle";
import { orgWithProjects } from "./fixtures";
import { TestClient } from "./yjs-client";

/** Writes bad records straight into a doc, as a bug or an old attack might have left them. */
function spoil(doc: Y.Doc, roleId: string, noteId: string): void {
  doc.transact(() => {
    rolesOf(doc).set("bad-role", "*:*" as never);
    rolesOf(doc).set(roleId, { id: roleId, name: "Read only", permissions: "*:*" } as never);
    assignmentsOf(doc).set("viewer", "s" as never);
    assignmentsOf(doc).set("other", ["bad-role", roleId]);
    placementsOf(doc).map.set(placementKey("main", noteId), "x" as never);
    placementsOf(doc).map.set(placementKey("main", "ghost"), { x: "left", y: 0, width: 1, height: 1, z: 9e9 } as never);
  });
}

describe("records read back", () => {
  it("skip what is not a role, an assignment or a placement, log it once, and keep answering", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { doc, notes, roleId } = richProjectDoc();
    spoil(doc, roleId, notes[0]!);
    // A bad assignment restricts to nothing rather than crashing or granting.
    expect(customGrants(doc, "viewer")).toEqual({ grants: [], hasCustomRoles: true });
    expect(customGrants(doc, "other")).toEqual({ grants: [], hasCustomRoles: true });
    expect(placementsIn(doc, "main").map((p) => p.nodeId)).not.toContain(notes[0]);
    expect(placementsIn(doc, "main").length).toBeGreaterThan(0);
    expect(zRange(doc, "main").max).toBeLessThan(9e9);
    const viewer = { userId: "viewer", grants: customGrants(doc, "viewer").grants };
    expect(runEvent(doc, { type: "notes:create", requestId: "v1", viewId: "main" }, viewer)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(runEvent(doc, { type: "whiteboard:move", requestId: "m1", viewId: "main", moves: [{ nodeId: notes[0]!, x: 1, y: 1 }] }, admin)).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(runEvent(doc, { type: "roles:delete-role", requestId: "d1", roleId: "bad-role" }, admin)).toMatchObject({ ok: false, error: { code: "not_found" } });
    customGrants(doc, "viewer");
    placementsIn(doc, "main");
    const logged = warn.mock.calls.map((c) => String(c[0]));
    expect(logged.filter((m) => m.includes("bad role assignment record viewer:"))).toHaveLength(1);
    expect(logged.filter((m) => m.includes(`bad placement record main/${notes[0]}:`))).toHaveLength(1);
    expect(logged.filter((m) => m.includes("bad role record bad-role:"))).toHaveLength(1);
    warn.mockRestore();
  });

  it("keep a member whose assignment was spoiled answered by the gateway, after a reload from storage", async () => {
    const { org, people, projects } = await orgWithProjects();
    const owner = await TestClient.open(org, projects.a, people.owner);
    expect((await owner.event("notes:create", { viewId: "main", text: "n" })).ok).toBe(true);
    await owner.until(() => nodesOf(owner.doc).size === 1, "the note");
    // What the red team left behind: the member's assignment turned into a string, stored.
    const spoiled = new Y.Doc();
    Y.applyUpdate(spoiled, Y.encodeStateAsUpdate(owner.doc));
    const before = Y.encodeStateVector(spoiled);
    assignmentsOf(spoiled).set(people.viewer, "s" as never);
    const update = Y.encodeStateAsUpdate(spoiled, before);
    owner.close();
    const stub = (await getServerByName(env.GATEWAY, org)) as DurableObjectStub<GatewayDO>;
    await runInDurableObject(stub, (_instance, state) => new DocStore(state.storage.sql, (f) => state.storage.transactionSync(f)).append(projects.a, update));
    await evictDurableObject(stub);
    const viewer = await TestClient.open(org, projects.a, people.viewer);
    expect(assignmentsOf(viewer.doc).get(people.viewer)).toBe("s");
    const ack = await viewer.event("notes:create", { viewId: "main", text: "mine" });
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    viewer.close();
  });
});

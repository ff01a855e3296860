/** The last edit of each project, on a real Durable Object's SQLite: written at most once a minute per project. */
import { env, runInDurableObject } from "cloudflare:test";
import { getServerByName } from "partyserver";
import { describe, expect, it } from "vitest";
import { nodesOf } from "../src/modules/core-graph";
import { bodiesOf } from "../src/modules/notes";
import { EDIT_WRITE_INTERVAL_MS, ProjectEdits } from "../src/storage/project-edits";
import { orgWithProjects } from "./fixtures";
import { TestClient } from "./yjs-client";

describe("ProjectEdits", () => {
  it("answers the newest edit, writes SQLite at most once a minute per project, and forgets a dropped project", async () => {
    const stub = env.GATEWAY.get(env.GATEWAY.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const stored = () => sql.exec<{ project: string; edited_at: number; edited_by: string }>("select * from project_edits order by project").toArray();
      const edits = new ProjectEdits(sql);
      const t0 = 1_700_000_000_000;
      edits.touch("p1", "ada", t0);
      edits.touch("p1", "bob", t0 + 1_000);
      edits.touch("p2", "ada", t0 + 2_000);
      expect(edits.all()).toEqual({ p1: { at: t0 + 1_000, userId: "bob" }, p2: { at: t0 + 2_000, userId: "ada" } });
      // Bob's edit came within the minute: only the first of p1's is stored.
      expect(stored()).toEqual([
        { project: "p1", edited_at: t0, edited_by: "ada" },
        { project: "p2", edited_at: t0 + 2_000, edited_by: "ada" },
      ]);
      // A fresh reader (the object evicted) sees what was stored: at most a minute old.
      expect(new ProjectEdits(sql).all().p1).toEqual({ at: t0, userId: "ada" });
      edits.touch("p1", "bob", t0 + EDIT_WRITE_INTERVAL_MS);
      expect(stored()[0]).toEqual({ project: "p1", edited_at: t0 + EDIT_WRITE_INTERVAL_MS, edited_by: "bob" });
      edits.drop("p1");
      expect(Object.keys(edits.all())).toEqual(["p2"]);
      expect(stored().map((r) => r.project)).toEqual(["p2"]);
    });
  });

  it("counts a person's events and typing on the gateway, not their presence", async () => {
    const { org, people, projects } = await orgWithProjects();
    const gateway = await getServerByName(env.GATEWAY, org);
    const alice = await TestClient.open(org, projects.a, people.alice);
    const bob = await TestClient.open(org, projects.a, people.bob);
    alice.setPresence({ cursor: { x: 1, y: 2 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await gateway.projectEdits()).toEqual({});
    expect((await alice.event("notes:create", { viewId: "main", text: "Plan" })).ok).toBe(true);
    expect((await gateway.projectEdits())[projects.a]?.userId).toBe(people.alice);
    await bob.until(() => [...nodesOf(bob.doc).values()].some((n) => n.kind === "note"), "bob sees the note");
    const id = [...nodesOf(bob.doc).values()].find((n) => n.kind === "note")!.id;
    bodiesOf(bob.doc).get(id)!.insert(0, "typed ");
    await alice.until(() => bodiesOf(alice.doc).get(id)?.toString() === "typed Plan", "alice sees bob's typing");
    const edits = await gateway.projectEdits();
    expect(Object.keys(edits)).toEqual([projects.a]);
    expect(edits[projects.a]?.userId).toBe(people.bob);
    alice.close();
    bob.close();
  });
});

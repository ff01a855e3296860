/**
 * The committed migrations on a database that already holds data: each runs on the Postgres
 * of `npm start` (PGlite), on rows written under the schema before it.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";

const folder = join(import.meta.dirname, "../../drizzle/migrations");

/** Runs the committed migrations named by `tags`, in order, as drizzle's migrator splits them. */
async function apply(db: PGlite, tags: readonly string[]): Promise<void> {
  for (const tag of tags) {
    for (const statement of (await readFile(join(folder, `${tag}.sql`), "utf8")).split("--> statement-breakpoint")) await db.exec(statement);
  }
}

const journal = async () => (JSON.parse(await readFile(join(folder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] }).entries.map((e) => e.tag);

describe("organization slugs (0004–0006)", () => {
  it("gives every existing org a unique slug from its name, the oldest of a name keeping it bare", async () => {
    const tags = await journal();
    const at = tags.indexOf("0004_org_slugs");
    expect(at).toBeGreaterThan(0);
    const db = new PGlite();
    try {
      await apply(db, tags.slice(0, at));
      const orgs: [string, string, string][] = [
        ["10000000-0000-4000-8000-000000000001", "Acme", "2026-01-01"],
        ["20000000-0000-4000-8000-000000000002", "ACME", "2026-02-01"],
        ["30000000-0000-4000-8000-000000000003", "Ünïcode  Labs!", "2026-01-01"],
        ["40000000-0000-4000-8000-000000000004", "!!!", "2026-01-01"],
        ["50000000-0000-4000-8000-000000000005", "x".repeat(60), "2026-01-01"],
      ];
      for (const [id, name, at] of orgs) await db.query("insert into organizations (id, name, created_at) values ($1, $2, $3)", [id, name, at]);
      await apply(db, tags.slice(at));
      const { rows } = await db.query<{ id: string; slug: string }>("select id, slug from organizations order by id");
      expect(rows.map((r) => r.slug)).toEqual(["acme", "acme-20000000", "unicode-labs", "org", "x".repeat(40)]);
      // Slugs are required and unique from now on.
      await expect(db.query("insert into organizations (name) values ('No slug')")).rejects.toThrow(/slug/);
      await expect(db.query("insert into organizations (name, slug) values ('Again', 'acme')")).rejects.toThrow(/organizations_slug_key/);
    } finally {
      await db.close();
    }
  });
});

describe("slugs an organization holds (0007–0008)", () => {
  it("records every existing org's slug as held by it, and lets no second org hold one", async () => {
    const tags = await journal();
    const at = tags.indexOf("0007_org_slugs_held");
    expect(at).toBeGreaterThan(tags.indexOf("0006_org_slugs_required"));
    const db = new PGlite();
    try {
      await apply(db, tags.slice(0, at));
      const orgs: [string, string, string][] = [
        ["10000000-0000-4000-8000-000000000001", "Acme", "acme"],
        ["20000000-0000-4000-8000-000000000002", "Acme", "acme-2"],
      ];
      for (const [id, name, slug] of orgs) await db.query("insert into organizations (id, name, slug) values ($1, $2, $3)", [id, name, slug]);
      await apply(db, tags.slice(at));
      const { rows } = await db.query<{ slug: string; org_id: string }>("select slug, org_id from organizations_slugs order by slug");
      expect(rows).toEqual(orgs.map(([id, , slug]) => ({ slug, org_id: id })));
      await expect(db.query("insert into organizations_slugs (slug, org_id) values ('acme', $1)", [orgs[1]![0]])).rejects.toThrow(/organizations_slugs_pkey/);
      // Deleting an org lets its slugs go.
      await db.query("delete from organizations where id = $1", [orgs[0]![0]]);
      expect((await db.query("select slug from organizations_slugs")).rows).toEqual([{ slug: "acme-2" }]);
    } finally {
      await db.close();
    }
  });
});

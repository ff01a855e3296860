import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type DatabaseConfig } from "../../drizzle/client";
import { splitHostPort, startDbProxy, type DbProxy } from "../local/db-proxy";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../local/embedded-postgres";

let postgres: EmbeddedPostgres;
let proxy: DbProxy;
let config: DatabaseConfig;

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ port: 0 });
  proxy = await startDbProxy({ target: postgres.address, port: 0, serialize: true });
  config = { databaseUrl: postgres.url, wsProxy: `127.0.0.1:${proxy.port}` };
  const { db, close } = createDatabase(config);
  await db.execute(sql`create table counters (id int primary key, value int not null)`);
  await db.execute(sql`insert into counters values (1, 0)`);
  await close();
});

afterAll(async () => {
  await proxy.close();
  await postgres.stop();
});

describe("database proxy in front of the embedded Postgres", () => {
  it("keeps concurrent transactions from different connections apart", async () => {
    const clients = Array.from({ length: 12 }, () => createDatabase(config));
    // Each transaction reads, waits, then writes: interleaving would lose increments.
    await Promise.all(
      clients.map(({ db }) =>
        db.transaction(async (tx) => {
          const [row] = await tx.execute<{ value: number }>(sql`select value from counters where id = 1`).then((r) => r.rows);
          await tx.execute(sql`select pg_sleep(0.005)`);
          await tx.execute(sql`update counters set value = ${row!.value + 1} where id = 1`);
        }),
      ),
    );
    const { db, close } = createDatabase(config);
    const { rows } = await db.execute<{ value: number }>(sql`select value from counters where id = 1`);
    expect(rows[0]!.value).toBe(12);
    await Promise.all([...clients, { close }].map((c) => c.close()));
  });

  it("rolls back a transaction whose connection dies, and serves the next client", async () => {
    const doomed = createDatabase(config);
    const failing = doomed.db.transaction(async (tx) => {
      await tx.execute(sql`update counters set value = -1 where id = 1`);
      throw new Error("abort on purpose");
    });
    await expect(failing).rejects.toThrow("abort on purpose");
    await doomed.close();
    const { db, close } = createDatabase(config);
    const { rows } = await db.execute<{ value: number }>(sql`select value from counters where id = 1`);
    expect(rows[0]!.value).toBeGreaterThanOrEqual(0);
    await close();
  });

  it("refuses to reach any address but its database", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/v2?address=127.0.0.1:22`);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => ws.addEventListener("close", resolve));
    expect(closed.code).toBe(1008);
    expect(closed.reason).toContain(postgres.address);
  });
});

describe("addresses", () => {
  it("splits host and port, IPv6 included", () => {
    expect(splitHostPort("127.0.0.1:5432")).toEqual(["127.0.0.1", 5432]);
    expect(splitHostPort("[::1]:54320")).toEqual(["::1", 54320]);
    expect(splitHostPort("db.internal:6543")).toEqual(["db.internal", 6543]);
  });
});

/**
 * A module built only for tests, as one folder, using everything a module can declare beyond
 * events: private tables (hashed tickets), a result only its sender sees (the ticket itself),
 * a route for a non-member principal (a "container" holding a ticket), events only that
 * principal may send, an org alarm that expires tickets with no project open (as a system
 * event), and hooks that revoke a leaving member's tickets and drop a deleted project's.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { z } from "zod";
import type * as Y from "yjs";
import { type HostContext, type ModuleDefinition, type Principal, collection, defineEvent } from "../../../src/modules/kit";

export const TICKET_TTL_MS = 60_000;

interface TicketRecord {
  id: string;
  owner: string;
  state: "live" | "expired";
  beats: number;
}

export const ticketsOf = (doc: Y.Doc) => collection<TicketRecord>(doc, "tickets", "tickets");

type Row = { id: string; project: string; owner: string; expires_at: number };

/** Tickets are stored as their SHA-256: a leaked table gives no ticket away. */
const hashOf = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export const tickets = {
  name: "tickets",
  dependencies: [],
  permissions: ["tickets:create", "tickets:[ticket:*]:beat", "tickets:expire"],
  storage: {
    migrations: [
      "create table tickets_hashes (id text primary key, project text not null, owner text not null, hash text not null unique, expires_at integer not null)",
      "create index tickets_hashes_expiry on tickets_hashes (expires_at)",
    ],
  },
  events: {
    create: defineEvent({
      schema: z.strictObject({}),
      permission: () => "tickets:create",
      reduce: (ctx) => {
        const id = ctx.newId();
        const token = [...crypto.getRandomValues(new Uint8Array(24))].map((b) => b.toString(16).padStart(2, "0")).join("");
        const project = ctx.project!;
        return {
          change: () => {
            ticketsOf(ctx.doc).set(id, { id, owner: ctx.actor.userId, state: "live", beats: 0 });
            ctx.sql?.exec("insert into tickets_hashes (id, project, owner, hash, expires_at) values (?, ?, ?, ?, ?)", id, project, ctx.actor.userId, hashOf(token), ctx.now + TICKET_TTL_MS);
          },
          result: { ticketId: id, token },
        };
      },
    }),
    beat: defineEvent({
      schema: z.strictObject({ ticketId: z.string() }),
      principals: ["container"],
      permission: (p) => `tickets:[ticket:${p.ticketId}]:beat`,
      reduce: (ctx, p) => {
        const ticket = ticketsOf(ctx.doc).get(p.ticketId)!;
        return () => ticketsOf(ctx.doc).set(p.ticketId, { ...ticket, beats: ticket.beats + 1 });
      },
    }),
    expire: defineEvent({
      schema: z.strictObject({ ticketId: z.string() }),
      principals: ["system"],
      permission: () => "tickets:expire",
      reduce: (ctx, p) => {
        const ticket = ticketsOf(ctx.doc).get(p.ticketId);
        return () => ticket && ticketsOf(ctx.doc).set(p.ticketId, { ...ticket, state: "expired" });
      },
    }),
  },
  authenticate: (host, { bearer }): Principal | null => {
    if (!bearer) return null;
    const row = host.sql.exec<Row>("select * from tickets_hashes where hash = ? and expires_at > ?", hashOf(bearer), host.now).toArray()[0];
    return row ? { kind: "container", id: row.id } : null;
  },
  routes: [
    {
      method: "GET",
      path: "/whoami",
      principals: ["container"],
      handle: (_host, request) => ({ status: 200, body: { principal: request.principal } }),
    },
    {
      method: "POST",
      path: "/beat",
      principals: ["container"],
      handle: (host: HostContext, request) => {
        const row = host.sql.exec<Row>("select * from tickets_hashes where id = ?", request.principal.id).toArray()[0]!;
        const outcome = host.runEvent(row.project, { type: "tickets:beat", ticketId: row.id }, request.principal);
        return { status: outcome.ok ? 200 : 409, body: outcome };
      },
    },
  ],
  nextAlarm: (host) => host.sql.exec<{ at: number | null }>("select min(expires_at) as at from tickets_hashes").toArray()[0]?.at ?? null,
  onAlarm: (host) => {
    const due = host.sql.exec<Row>("select * from tickets_hashes where expires_at <= ?", host.now).toArray();
    for (const row of due) {
      host.runEvent(row.project, { type: "tickets:expire", ticketId: row.id }, { kind: "system", id: "tickets" });
      host.sql.exec("delete from tickets_hashes where id = ?", row.id);
    }
  },
  onMembershipChanged: (host, { removed }) => {
    for (const userId of removed) host.sql.exec("delete from tickets_hashes where owner = ?", userId);
  },
  onProjectDeleted: (host, project) => {
    host.sql.exec("delete from tickets_hashes where project = ?", project);
  },
} as const satisfies ModuleDefinition;

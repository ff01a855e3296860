/**
 * Shared terminals: what the terminal page (served by the agent at the container's
 * `terminal` host) and the agent's PTY server say over their WebSocket,
 * `wss://uc-{id}--terminal.org-{org}.{domain}/socket?session={name}`.
 *
 * The server sends the PTY's output as binary frames and everything else as JSON text
 * frames (`TerminalServerMessage`); the page sends JSON text frames only
 * (`TerminalClientMessage`). One PTY per session name, shared by every socket on it.
 */
import { z } from "zod";
import { ServiceNameSchema, VisitorAccessSchema } from "./containers";

/** The service the terminal image declares (services.json) and the catalog lists. */
export const TERMINAL_SERVICE = { name: "terminal", port: 7681, protocol: "http" } as const;

/** The WebSocket's path on the terminal host. */
export const TERMINAL_SOCKET_PATH = "/socket";

/** A session's name, in the page's URL (`?session=`): everyone on the same name shares one shell. */
export const TerminalSessionSchema = ServiceNameSchema;
export const DEFAULT_TERMINAL_SESSION = "main";

const Cols = z.int().min(2).max(1000);
const Rows = z.int().min(1).max(500);

export const TerminalClientMessageSchema = z.discriminatedUnion("type", [
  /** Keystrokes and pastes (dropped for a watcher). */
  z.strictObject({ type: z.literal("input"), data: z.string().max(65_536) }),
  /** The size this page's window could show. The PTY takes the smallest of its pages'. */
  z.strictObject({ type: z.literal("size"), cols: Cols, rows: Rows }),
  /** The shell ended; start a new one in this session (a writer only). */
  z.strictObject({ type: z.literal("restart") }),
]);
export type TerminalClientMessage = z.infer<typeof TerminalClientMessageSchema>;

/** Why a session is over for the page. */
export const TERMINAL_ENDS = ["exited", "stopping", "no-session", "no-shell"] as const;

export const TerminalServerMessageSchema = z.discriminatedUnion("type", [
  /**
   * First frame on a socket: who the server thinks you are and what you may do. `replayed`
   * bytes of the session's recent output follow at once, as binary frames (a page that
   * reconnects clears its screen first).
   */
  z.strictObject({
    type: z.literal("hello"),
    session: TerminalSessionSchema,
    user: z.string().nullable(),
    access: VisitorAccessSchema,
    cols: Cols,
    rows: Rows,
    replayed: z.int().nonnegative(),
    /** The session's shell has ended: a writer may restart it. */
    ended: z.boolean(),
  }),
  /** The PTY's size changed (someone's window did). */
  z.strictObject({ type: z.literal("size"), cols: Cols, rows: Rows }),
  /** How many pages are on this session now, and how many of them may type. */
  z.strictObject({ type: z.literal("people"), total: z.int().nonnegative(), writers: z.int().nonnegative() }),
  /** The shell ended (`exit`), the container is stopping, there is no shell for a watcher to see yet, or none could start. */
  z.strictObject({ type: z.literal("ended"), why: z.enum(TERMINAL_ENDS), code: z.int().nullable() }),
]);
export type TerminalServerMessage = z.infer<typeof TerminalServerMessageSchema>;

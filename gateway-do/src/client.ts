/**
 * What the gateway shares with its clients (web/), and nothing more: the socket's binary
 * framing, the check it makes of a client's doc update, which texts a client may edit, the
 * permission grammar and the grants a role holds (so the board says what one may do before
 * asking), and the event pipeline (to run a board on a local doc: the board's benchmark page
 * and its local connection). web/ imports the gateway through this file and the modules'
 * shared parts (`src/modules/`) only; scripts/test/web-boundaries.test.ts holds it to that.
 */
export { editableTextsIn } from "./doc/editable-texts";
export { runEvent } from "./events/pipeline";
export { isAllowed, parsePermission } from "./permissions/permission";
export { grantsFor } from "./permissions/roles";
export { MESSAGE_AWARENESS, MESSAGE_SYNC, awarenessFrame, syncStep1, updateFrame } from "./sync/protocol";
export { checkClientUpdate } from "./sync/update-guard";

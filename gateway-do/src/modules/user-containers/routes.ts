/**
 * What the worker asks the module over HTTP, for a member it has authenticated: may they open
 * a container's services (the visitor flow, before the worker signs a ticket), and a new
 * launch command's token for a container whose first one was shown once and is gone.
 */
import { ContainerSettingsSchema } from "../../../../protocol/api/containers";
import { ContainerIdSchema, ShareLevelSchema } from "../../../../protocol/containers";
import { mayOpenContainer, mayTypeInContainer } from "./access";
import type { RouteSpec } from "../kit";
import { idleSetting, setIdleSetting } from "./idle";
import { liveRow, routeOf } from "./records";

const refuse = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

/** Why a member who may not type in a container may not open its service that runs code. */
export const runsCodeRefusal = (service: string) =>
  `${service} runs the code its visitors send: only this container's owner and those allowed to type in its terminal may open it.`;

/**
 * `GET /access?container=[&service=]`: 200 when the member may open the container's services
 * (or that one service), else why not. `terminal`: whether they may also type in its terminal
 * (its owner, or `:terminal`, which members' built-in role lacks: a shell in someone's container
 * is theirs to hand out); anyone else let in watches. A service that runs its visitors' code
 * (`runsCode`: Jupyter) is refused to those who may not type.
 */
export const accessRoute: RouteSpec = {
  method: "GET",
  path: "/access",
  principals: ["user"],
  checks: ["user-containers:[user-container:*]:open", "user-containers:[user-container:*]:terminal"],
  handle: (host, request) => {
    const id = ContainerIdSchema.safeParse(request.query.container);
    if (!id.success) return refuse(400, "invalid_container", "Name a container by its 12-character id.");
    const row = liveRow(host.sql, id.data);
    if (!row) return refuse(404, "not_found", "This container does not exist (any more).");
    const user = request.principal.id;
    const grants = host.grants(user, row.project) ?? [];
    const allowed = mayOpenContainer({ id: row.id, owner: row.owner, share: ShareLevelSchema.parse(row.share) }, user, grants, host.isMember(user));
    if (!allowed) return refuse(403, "forbidden", row.share === "owner" ? "Only this container's owner may open it." : "You may not open this container: ask its owner to share it with you.");
    const terminal = mayTypeInContainer(row, user, grants);
    // A service that runs what its visitors send is running code in the container: the terminal's rule.
    const service = routeOf(row).services.find((s) => s.name === request.query.service);
    if (service?.runsCode && !terminal) return refuse(403, "forbidden", runsCodeRefusal(service.name));
    return { status: 200, body: { container: row.id, project: row.project, share: row.share, state: row.state, terminal } };
  },
};

/** `POST /launch {container}`: a new token (the old one stops working), as the member, through the pipeline. */
export const launchRoute: RouteSpec = {
  method: "POST",
  path: "/launch",
  principals: ["user"],
  handle: (host, request) => {
    const id = ContainerIdSchema.safeParse((request.body as { container?: unknown } | null)?.container);
    if (!id.success) return refuse(400, "invalid_container", "Send {\"container\": \"<id>\"}.");
    const row = liveRow(host.sql, id.data);
    if (!row) return refuse(404, "not_found", "This container does not exist (any more).");
    const outcome = host.runEvent(row.project, { type: "user-containers:launch", container: row.id }, request.principal);
    if (!outcome.ok) return refuse(outcome.error?.code === "forbidden" ? 403 : 409, outcome.error?.code ?? "refused", outcome.error?.message ?? "Refused.");
    return { status: 200, body: outcome.result };
  },
};

/** `GET /container?container=`: the container's live state, for a member who may see its project (the API's and scripts' view). */
export const containerRoute: RouteSpec = {
  method: "GET",
  path: "/container",
  principals: ["user"],
  handle: (host, request) => {
    const id = ContainerIdSchema.safeParse(request.query.container);
    if (!id.success) return refuse(400, "invalid_container", "Name a container by its 12-character id.");
    const row = liveRow(host.sql, id.data);
    if (!row || host.grants(request.principal.id, row.project) === null) return refuse(404, "not_found", "No such container, or you may not see its project.");
    const route = routeOf(row);
    return { status: 200, body: { id: row.id, project: row.project, owner: row.owner, share: route.share, state: route.state, address: route.address, services: route.services, lastSeen: row.last_seen, activeAt: row.active_at } };
  },
};

/** `GET /settings`: the org's container settings (idle culling), for any member. */
export const readSettingsRoute: RouteSpec = {
  method: "GET",
  path: "/settings",
  principals: ["user"],
  handle: (host) => ({ status: 200, body: { idleMinutes: idleSetting(host.sql).minutes } }),
};

/** `PUT /settings {idleMinutes}`: sets them; the org's admins and owners only. */
export const writeSettingsRoute: RouteSpec = {
  method: "PUT",
  path: "/settings",
  principals: ["user"],
  handle: (host, request) => {
    const role = host.roles(request.principal.id, null)?.org;
    if (role !== "owner" && role !== "admin") return refuse(403, "forbidden", "Only the organization's admins and owners may change its container settings.");
    const body = ContainerSettingsSchema.safeParse(request.body);
    if (!body.success) return refuse(400, "invalid_settings", body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
    setIdleSetting(host.sql, body.data.idleMinutes, host.now);
    return { status: 200, body: { idleMinutes: body.data.idleMinutes } };
  },
};

/** The worker's entry: the app, and the Durable Object class that wrangler binds. */
import { app } from "./app";
import { canonicalRequest } from "./lib/canonical-ids";

export { GatewayDO } from "../../gateway-do/src/gateway-do";

export default {
  fetch: (request, env, ctx) => app.fetch(canonicalRequest(request), env, ctx),
} satisfies ExportedHandler<Env>;

/** The worker's entry: the app, and the Durable Object class that wrangler binds. */
import { app } from "./app";

export { GatewayDO } from "../../gateway-do/src/gateway-do";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;

/** oidc on the web: nothing to draw; the org's sign-in for container apps defines no permissions of its own. */
import type { WebModule } from "../kit";

export const oidc = {
  title: "Sign-in for container apps",
  permissions: {},
} satisfies WebModule;

/** tabs on the web: its permissions in words. The tab bar shows each tab through the module owning its kind. */
import type { WebModule } from "../kit";

export const tabs = {
  title: "Tabs",
  memberWork: "tabs",
  permissions: {
    "tabs:open": "Open views as tabs",
    "tabs:read": "Switch between tabs",
    "tabs:update": "Rename and reorder tabs",
    "tabs:[tab:*]:update": "Rename tabs",
    "tabs:[tab:*]:delete": "Close tabs",
  },
} satisfies WebModule;

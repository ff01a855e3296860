/** core-graph on the web: its permissions in words. Its node kinds are drawn by the modules creating them. */
import type { WebModule } from "../kit";

export const coreGraph = {
  title: "Nodes and connections",
  permissions: {
    "core-graph:delete": "Delete nodes",
    "core-graph:[node:*]:update": "Connect nodes",
    "core-graph:[edge:*]:delete": "Delete connections",
    "core-graph:[edge:*]:update": "Label connections and change their kind",
  },
} satisfies WebModule;

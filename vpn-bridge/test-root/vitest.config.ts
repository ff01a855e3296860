/**
 * `npm run test:bridge-root`: the bridge against real OpenVPN in network namespaces. Needs
 * root (namespaces, tun, iptables), so it is not part of `npm test`; the containers suite
 * (scripts/containers/) runs it.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "bridge-root",
    root: new URL("../..", import.meta.url).pathname,
    include: ["vpn-bridge/test-root/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});

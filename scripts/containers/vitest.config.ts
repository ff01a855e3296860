/**
 * `npm run test:containers` (as root): real user containers — the images, podman behind the
 * docker CLI, the agent joining a real OpenVPN server in network namespaces. Not part of
 * `npm test` (minutes, root, podman).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["scripts/containers/**/*.e2e.ts"],
    environment: "node",
    fileParallelism: false,
    // The first run builds the images (~2 min); later runs reuse them.
    hookTimeout: 600_000,
    testTimeout: 120_000,
  },
});

/**
 * `npm run test:containers` (as root): real user containers — the images, podman behind the
 * docker CLI, the agent joining a real OpenVPN server in network namespaces. Not part of
 * `npm test` (minutes, root, podman).
 */
import { defineConfig } from "vitest/config";
import { detectRuntime } from "./runtime.ts";

// Without podman (or with KILN_CONTAINER_RUNTIME=fallback) the suite is its main path on the
// fallback runtime, which says so when it starts; the other files need the docker CLI.
const fallback = detectRuntime(() => undefined) === "fallback";

export default defineConfig({
  test: {
    include: fallback ? ["scripts/containers/fallback.e2e.ts"] : ["scripts/containers/**/*.e2e.ts"],
    exclude: fallback ? [] : ["scripts/containers/fallback.e2e.ts"],
    environment: "node",
    fileParallelism: false,
    // The first run builds the images (~2 min); later runs reuse them.
    hookTimeout: 600_000,
    testTimeout: 120_000,
  },
});

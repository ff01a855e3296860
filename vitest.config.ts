/**
 * `npm test`: the worker and the gateway in workerd against the real embedded Postgres,
 * the web app's components in happy-dom, and Node-side tests (the database proxy, the
 * smoke tests of `npm start` on embedded and on real Postgres).
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { generateJwtPrivateKey } from "./scripts/local/jwt-key.ts";
import { findFreePort } from "./scripts/local/ports.ts";

// Chosen once and kept in the environment, so that the global setup (which starts the
// database) and the worker's bindings agree even if this file is evaluated again.
process.env.KILN_TEST_DB_PORT ??= String(await findFreePort());
process.env.KILN_TEST_DB_PROXY_PORT ??= String(await findFreePort());
process.env.KILN_TEST_OIDC_PORT ??= String(await findFreePort());
// No internet here: don't let the workers pool fetch the `request.cf` template.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
// The worker's required secret, read by the workers pool from the environment.
process.env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${process.env.KILN_TEST_DB_PORT}/postgres`;
process.env.JWT_PRIVATE_KEY ??= await generateJwtPrivateKey();

export default defineConfig({
  test: {
    reporters: ["default", "./scripts/test/summary-reporter.ts"],
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            // The worker's own entry, plus a gateway class running the tests' own modules.
            main: "./gateway-do/test/entry.ts",
            miniflare: {
              durableObjects: { GATEWAY: { className: "GatewayDO", useSQLite: true }, TEST_GATEWAY: { className: "TestGatewayDO", useSQLite: true } },
              // The images module's bucket, in memory per test run.
              r2Buckets: ["IMAGES"],
              bindings: {
                DATABASE_URL: process.env.DATABASE_URL,
                JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY,
                KILN_ENV: "test",
                // Unload idle project docs at the first alarm, so tests can watch it happen.
                GATEWAY_IDLE_MS: "0",
                // Small enough for a test to fill a project.
                GATEWAY_MAX_DOC_BYTES: "2000000",
                EMAIL_PROVIDER: "outbox",
                // The OpenID Connect provider started by scripts/test/oidc-setup.ts.
                OIDC_ISSUER: `http://127.0.0.1:${process.env.KILN_TEST_OIDC_PORT}`,
                OIDC_CLIENT_ID: "kiln-test",
                OIDC_CLIENT_SECRET: "kiln-test-secret",
                OIDC_NAME: "Test SSO",
                DB_WS_PROXY: `127.0.0.1:${process.env.KILN_TEST_DB_PROXY_PORT}`,
                // User containers: a bridge key the tests act as the bridge with, and where hosts live.
                BRIDGE_KEY: "test-bridge-key-0123456789abcdef0123456789",
                CONTAINER_DOMAIN: "containers.localhost:8080",
                CONTAINER_SCHEME: "http",
                BRIDGE_PUBLIC_URL: "http://10.203.0.1:9002",
              },
            },
          }),
        ],
        test: {
          name: "workerd",
          // Generous for a loaded 2-core CI machine; a real hang still fails.
          testTimeout: 30_000,
          include: ["worker/test/**/*.test.ts", "gateway-do/test/**/*.test.ts"],
          globalSetup: ["./scripts/test/database-setup.ts", "./scripts/test/oidc-setup.ts"],
        },
      },
      {
        plugins: [react()],
        test: {
          name: "web",
          include: ["web/test/**/*.test.tsx"],
          environment: "happy-dom",
        },
      },
      {
        test: {
          name: "node",
          include: ["scripts/test/**/*.test.ts", "vpn-bridge/test/**/*.test.ts", "vpn-bridge/agent/test/**/*.test.ts"],
          environment: "node",
          // Each smoke test runs a whole stack: one at a time on a 2-core machine.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

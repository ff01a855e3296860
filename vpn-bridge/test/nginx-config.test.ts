import { describe, expect, it } from "vitest";
import { renderNginxConfig } from "../src/nginx-config.ts";

describe("nginx config", () => {
  const config = renderNginxConfig({
    listen: { host: "0.0.0.0", port: 80 },
    domain: "containers.example.com",
    scheme: "https",
    authPort: 9000,
    prefix: "/var/lib/kiln-bridge/nginx",
  });

  it("renders the same file for the same options", () => {
    expect(config).toMatchSnapshot();
  });

  it("escapes the domain's dots in the host pattern and names no container", () => {
    expect(config).toContain("\\.containers\\.example\\.com$\"");
    expect(config).not.toMatch(/uc-[a-z0-9]{12}\./);
  });

  it("brackets an IPv6 listen address", () => {
    const v6 = renderNginxConfig({ listen: { host: "::", port: 8080 }, domain: "c.test", scheme: "http", authPort: 1, prefix: "/p" });
    expect(v6).toContain("listen [::]:8080 default_server;");
  });
});

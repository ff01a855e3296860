import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseServicesFile } from "../src/services-file.ts";

describe("services.json", () => {
  it("no file means no services", () => {
    expect(parseServicesFile(null)).toEqual({ ok: true, services: [] });
  });

  it("reads the jupyter image's own file", () => {
    const text = readFileSync(new URL("../../images/jupyter/services.json", import.meta.url), "utf8");
    const parsed = parseServicesFile(text);
    expect(parsed.ok && parsed.services.map(({ name, port, protocol }) => ({ name, port, protocol }))).toEqual([{ name: "jupyter", port: 8888, protocol: "http" }]);
    expect(parsed.ok && parsed.services[0]!.command.slice(0, 3)).toEqual(["python3", "-m", "jupyter_server"]);
  });

  it("says what is wrong: not JSON, a bad name, an empty command, a port or a name twice, an unknown key", () => {
    const problem = (value: unknown) => {
      const parsed = parseServicesFile(typeof value === "string" ? value : JSON.stringify(value));
      return parsed.ok ? "ok" : parsed.problem;
    };
    const web = { name: "web", port: 8000, protocol: "http", command: ["python3", "-m", "http.server"] };
    expect(problem(JSON.stringify([web]))).toBe("ok");
    expect(problem("[{")).toMatch(/^not JSON/);
    expect(problem([{ ...web, name: "Web" }])).toMatch(/^0\.name: a service name is lower-case/);
    expect(problem([{ ...web, command: [] }])).toMatch(/^0\.command/);
    expect(problem([web, { ...web, name: "other" }])).toBe("1.port: port 8000 is declared twice");
    expect(problem([web, { ...web, port: 8001 }])).toBe("1.name: service name web is declared twice");
    expect(problem([{ ...web, user: "root" }])).toMatch(/^0: Unrecognized key/);
    expect(problem({ web })).toMatch(/^\(root\)/);
  });
});

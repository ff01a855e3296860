import { describe, expect, it } from "vitest";
import { parseDockerRun, shellWords } from "../containers/docker-run.ts";

// The line the worker's launchCommand() builds (worker/src/routes/containers.ts).
const BOARD_LINE =
  "docker run -d --name kiln-abc123def456 --restart unless-stopped --cap-add=NET_ADMIN --device /dev/net/tun " +
  "-e KILN_CONTAINER=abc123def456 -e KILN_TOKEN=kct_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.abc123def456.Zm9v_YmFy-YmF6 -e KILN_BRIDGE=http://10.64.62.1:19002 localhost/kiln-jupyter:1";

describe("parseDockerRun", () => {
  it("reads the board's line: image, name, environment, flags", () => {
    expect(parseDockerRun(BOARD_LINE)).toEqual({
      image: "localhost/kiln-jupyter:1",
      name: "kiln-abc123def456",
      env: { KILN_CONTAINER: "abc123def456", KILN_TOKEN: "kct_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.abc123def456.Zm9v_YmFy-YmF6", KILN_BRIDGE: "http://10.64.62.1:19002" },
      capAdd: ["NET_ADMIN"],
      devices: ["/dev/net/tun"],
      restart: "unless-stopped",
      detach: true,
      args: [],
    });
  });

  it("keeps an = inside a value, --env=, quoted values and a command after the image", () => {
    const run = parseDockerRun(`docker run --env=A=b=c -e 'B=two words' -e "C=say \\"hi\\"" --name=x img:2 sh -c 'echo 1'`);
    expect(run.env).toEqual({ A: "b=c", B: "two words", C: 'say "hi"' });
    expect(run.name).toBe("x");
    expect(run.image).toBe("img:2");
    expect(run.args).toEqual(["sh", "-c", "echo 1"]);
    expect(run.detach).toBe(false);
  });

  it("a later -e of the same key wins, as in docker", () => {
    expect(parseDockerRun("docker run -e K=1 -e K=2 img").env).toEqual({ K: "2" });
  });

  it("refuses what it cannot read faithfully", () => {
    expect(() => parseDockerRun("podman run img")).toThrow(/not a docker run line/);
    expect(() => parseDockerRun("docker run -d --name x")).toThrow(/no value|names no image/);
    expect(() => parseDockerRun("docker run -d")).toThrow(/names no image/);
    expect(() => parseDockerRun("docker run -v /a:/b img")).toThrow(/-v is not understood/);
    expect(() => parseDockerRun("docker run -e HOME img")).toThrow(/only KEY=VALUE/);
    expect(() => parseDockerRun("docker run -e T=$TOKEN img")).toThrow(/unquoted \$/);
    expect(() => parseDockerRun('docker run -e "T=$TOKEN" img')).toThrow(/expands \$/);
    expect(() => parseDockerRun("docker run img; rm -rf /")).toThrow(/unquoted ;/);
    expect(() => parseDockerRun("docker run -e 'A=b img")).toThrow(/unterminated '/);
  });
});

describe("shellWords", () => {
  it("joins quoted parts of one word and honours backslashes", () => {
    expect(shellWords(`a'b c'"d"\\ e  f`)).toEqual(["ab cd e", "f"]);
    expect(shellWords("  ")).toEqual([]);
    expect(shellWords("''")).toEqual([""]);
  });
});

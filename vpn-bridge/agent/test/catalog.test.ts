import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../../protocol/catalog.ts";
import { IMAGES } from "../../images/images.ts";
import { parseServicesFile } from "../src/services-file.ts";

const read = (path: string) => readFileSync(new URL(`../../images/${path}`, import.meta.url), "utf8");

describe("the image catalog", () => {
  const catalog = CATALOG;

  it("lists every image the build makes, once", () => {
    expect(catalog.map((entry) => entry.image).sort()).toEqual(IMAGES.map((image) => image.ref).sort());
  });

  it("says of each image the services its services.json declares", () => {
    for (const image of IMAGES) {
      let text: string | null = null;
      try {
        text = read(`${image.name}/services.json`);
      } catch {
        text = null;
      }
      const parsed = parseServicesFile(text);
      if (!parsed.ok) throw new Error(`${image.name}/services.json: ${parsed.problem}`);
      // All the agent reports of each (its sign-in, whether it runs code), not how to start it.
      const declared = parsed.services.map(({ command: _command, env: _env, ...service }) => service);
      expect(catalog.find((entry) => entry.image === image.ref)?.services, image.name).toEqual(declared);
    }
  });
});

/** Searching the image catalog, and reading the services a person declares for an image not in it. Pure. */
import { type CatalogImage, type Service, ServiceNameSchema } from "../../../../protocol/containers";

/** The images matching every word of `query` (in name, image, description, a `key:value` tag, a service), best first. */
export function searchImages(images: readonly CatalogImage[], query: string): CatalogImage[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...images];
  const scored = images.flatMap((image) => {
    const name = image.name.toLowerCase();
    const ref = image.image.toLowerCase();
    const text = [name, ref, image.description.toLowerCase(), ...image.services.map((s) => s.name)];
    let score = 0;
    for (const w of words) {
      // A tag matches by its key:value (a word `lang:py` matches `lang:python`) or by its value alone.
      const tag = image.tags.some((t) => t.startsWith(w) || t.split(":")[1]?.startsWith(w));
      const inName = name.startsWith(w) || ref.startsWith(w);
      if (inName) score += 3;
      else if (tag) score += 2;
      else if (text.some((t) => t.includes(w))) score += 1;
      else return [];
    }
    return [{ image, score }];
  });
  return scored.sort((a, b) => b.score - a.score || a.image.name.localeCompare(b.image.name)).map((s) => s.image);
}

/**
 * Services declared one per line as `name:port` (HTTP) or `name:port/tcp`. Returns them, or
 * the first line that is not one, in words.
 */
export function parseServices(text: string): { ok: true; services: Service[] } | { ok: false; message: string } {
  const services: Service[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([^:\s]+)\s*:\s*(\d{1,5})(?:\/(http|tcp))?$/.exec(line);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65535) return { ok: false, message: `Line ${i + 1}: write a service as name:port, e.g. web:8080 (or name:port/tcp).` };
    const name = ServiceNameSchema.safeParse(match[1]);
    if (!name.success) return { ok: false, message: `Line ${i + 1}: ${name.error.issues[0]?.message ?? "not a service name"}.` };
    if (services.some((s) => s.name === name.data)) return { ok: false, message: `Line ${i + 1}: ${name.data} is named twice.` };
    services.push({ name: name.data, port, protocol: match[3] === "tcp" ? "tcp" : "http" });
  }
  return { ok: true, services };
}

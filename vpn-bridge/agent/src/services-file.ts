import { z } from "zod";
import { ServiceSchema } from "../../../protocol/containers.ts";

/** One service an image declares: what the bridge is told (name, port, protocol) and how to start it. */
export const ServiceSpecSchema = ServiceSchema.extend({
  command: z.array(z.string().min(1)).min(1),
  env: z.record(z.string(), z.string()).optional(),
});
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

export const ServicesFileSchema = z
  .array(ServiceSpecSchema)
  .max(32)
  .superRefine((services, ctx) => {
    const names = new Set<string>();
    const ports = new Set<number>();
    for (const [index, service] of services.entries()) {
      if (names.has(service.name)) ctx.addIssue({ code: "custom", path: [index, "name"], message: `service name ${service.name} is declared twice` });
      if (ports.has(service.port)) ctx.addIssue({ code: "custom", path: [index, "port"], message: `port ${service.port} is declared twice` });
      names.add(service.name);
      ports.add(service.port);
    }
  });

/** Reads `/etc/kiln/services.json`'s text (null when the image has none): the services, or what is wrong. */
export function parseServicesFile(text: string | null): { ok: true; services: ServiceSpec[] } | { ok: false; problem: string } {
  if (text === null) return { ok: true, services: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not JSON: ${(error as Error).message}` };
  }
  const parsed = ServicesFileSchema.safeParse(json);
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ") };
  return { ok: true, services: parsed.data };
}

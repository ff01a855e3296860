/**
 * The images module's routes in the OpenAPI document. They are served by the gateway
 * (`/gw/{org}/m/images/…`, gateway-do/src/modules/images/routes.ts) through the worker's module
 * route (gateway.ts); scripts upload with an API key like the web app does with its session.
 */
import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { ImageTypeSchema, MAX_IMAGE_BYTES, UploadedImageSchema } from "../../../protocol/images";
import { ErrorSchema, jsonResponse } from "../lib/openapi";

const OrgParams = z.object({ org: z.uuid().openapi({ param: { name: "org", in: "path" }, description: "Organization id." }) });
const Project = z.uuid().openapi({ param: { name: "project", in: "query" }, description: "Project id." });
const Binary = z.string().openapi({ format: "binary" });
const IMAGE_TYPES = ImageTypeSchema.options;

/** Adds the images module's two operations to `registry` (the gateway sub-app's). */
export function registerImageRoutes(registry: OpenAPIHono["openAPIRegistry"]): void {
  registry.registerPath(
    createRoute({
      method: "post",
      path: "/{org}/m/images/upload",
      operationId: "uploadImage",
      tags: ["images"],
      summary: "Upload an image to a project (needs images:create there)",
      description:
        `The file is the raw body, any Content-Type: what it is is read from its bytes. PNG, JPEG, GIF and WebP are accepted, at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB ` +
        "and 16,384 pixels a side; SVG is refused (415 `svg_refused`: it can carry script). The answer names the image for the " +
        "`images:create` event, which places it on a view.",
      request: {
        params: OrgParams,
        query: z.object({ project: Project }),
        body: { required: true, content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: Binary }])) },
      },
      responses: {
        201: jsonResponse(UploadedImageSchema.openapi("UploadedImage"), "Stored: its id, type and size as read from its bytes."),
        400: jsonResponse(ErrorSchema, "An empty body, or an image whose header gives no sensible size."),
        401: jsonResponse(ErrorSchema, "Not signed in, or an invalid API key."),
        403: jsonResponse(ErrorSchema, "No Origin (or a foreign one) on a cookie request, an API key without projects:write, or no images:create in the project."),
        404: jsonResponse(ErrorSchema, "No such organization or project, or you may not see it."),
        413: jsonResponse(ErrorSchema, `Over ${MAX_IMAGE_BYTES / 1024 / 1024} MB, counted as read whatever Content-Length says.`),
        415: jsonResponse(ErrorSchema, "Not a PNG, JPEG, GIF or WebP image (`unsupported_type`), or an SVG (`svg_refused`)."),
        507: jsonResponse(ErrorSchema, "The organization's images would pass its 1 GiB (`quota_exceeded`: the message says how much is used); images no board shows are deleted 7 days later, freeing room."),
      },
    }),
  );
  registry.registerPath(
    createRoute({
      method: "get",
      path: "/{org}/m/images/file",
      operationId: "getImage",
      tags: ["images"],
      summary: "An image of a project (for anyone who may see the project)",
      description: "Served with the type recorded at upload, `x-content-type-options: nosniff`, `content-security-policy: default-src 'none'; sandbox` and `cache-control: private`.",
      request: {
        params: OrgParams,
        query: z.object({ project: Project, id: z.string().openapi({ param: { name: "id", in: "query" }, description: "The image id `uploadImage` answered." }) }),
      },
      responses: {
        200: { description: "The image's bytes.", content: Object.fromEntries(IMAGE_TYPES.map((t) => [t, { schema: Binary }])) },
        400: jsonResponse(ErrorSchema, "Not an image id."),
        401: jsonResponse(ErrorSchema, "Not signed in, or an invalid API key."),
        403: jsonResponse(ErrorSchema, "An API key without projects:read."),
        404: jsonResponse(ErrorSchema, "No such organization, project or image, or you may not see the project."),
      },
    }),
  );
}

/**
 * Sub-apps are OpenAPIHono apps: their routes and zod schemas make the OpenAPI document.
 * A route declares what its handler answers; what shared machinery answers (the validator,
 * the API's guards, sign-in checks, the error handler) is added to every operation it
 * applies to by `declareSharedResponses`, so no route can forget it.
 */
import { OpenAPIHono, createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import { ErrorBodySchema } from "../../../protocol/errors";
import type { AppEnv } from "../env";
import { validationError } from "./errors";
import { MAX_BODY_BYTES } from "./request-guards";

/** A new sub-app whose invalid inputs become a 400 naming the offending fields. */
export function createApp(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

/** The error body every 4xx/5xx response has (protocol/errors.ts), named for the document. */
export const ErrorSchema = ErrorBodySchema.openapi("Error");

/** A moment in a response, as `Date.toISOString()` writes it. */
export { TimestampSchema } from "../../../protocol/api/common";

/** An OpenAPI response entry for a JSON body. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** A required JSON request body: another content type is refused rather than read as empty. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true };
}

/** Who may call a route: anyone, a browser session only (never an API key), or a session or an API key. */
export type Access = "public" | "session" | "sessionOrApiKey";

const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  session: [{ session: [] }],
  sessionOrApiKey: [{ session: [] }, { apiKey: [] }],
};

/**
 * `createRoute` with what every operation needs: a stable `operationId` (camelCase, from
 * what the route does) and who may call it, written as its `security`.
 */
export function defineRoute<P extends string, R extends Omit<RouteConfig, "path" | "security" | "operationId"> & { path: P; operationId: string; access: Access }>(
  config: R,
) {
  const { access, ...route } = config;
  return createRoute({ ...route, security: SECURITY[access] });
}

type Document = ReturnType<OpenAPIHono["getOpenAPI31Document"]>;
type Operation = NonNullable<NonNullable<Document["paths"]>[string]["get"]>;

interface OperationFacts {
  method: string;
  /** Behind the API guards (database, CORS, Origin, body size, JSON only, authentication). */
  guarded: boolean;
  hasInputs: boolean;
  hasBody: boolean;
  /** Null for a public operation; else whether an API key may call it. */
  signIn: { apiKey: boolean } | null;
}

interface SharedResponse {
  status: string;
  applies: (op: OperationFacts) => boolean;
  description: (op: OperationFacts) => string;
}

/** Statuses that come from machinery outside the handlers, each with the mechanism that gives it. */
const SHARED_RESPONSES: SharedResponse[] = [
  // createApp's defaultHook: path, query and body are validated before the handler runs.
  { status: "400", applies: (op) => op.hasInputs, description: () => "Invalid input: `error.fields` names each offending field." },
  // authenticate: a bearer token that is not a live API key is refused on every guarded route.
  { status: "401", applies: (op) => op.guarded && op.signIn === null, description: () => "The `Authorization` header holds no valid API key (this operation needs none)." },
  // requireAuth / requireSession.
  {
    status: "401",
    applies: (op) => op.signIn !== null,
    description: (op) => `Not signed in, the sign-in still owes its second factor${op.signIn?.apiKey ? ", or the API key is invalid, expired or revoked" : ""}.`,
  },
  {
    status: "403",
    applies: (op) => op.signIn !== null,
    description: (op) => (op.signIn?.apiKey ? "Not allowed: the API key lacks the scope, or your role may not do this." : "Not allowed: API keys may not do this, only a signed-in browser session."),
  },
  // requireSameOrigin: cookie-authenticated writes must come from the app.
  {
    status: "403",
    applies: (op) => op.guarded && op.method !== "get",
    description: () => "A write without an `Origin` header, or from an origin not allowed (requests with an API key are exempt).",
  },
  // limitBody and requireJson.
  { status: "413", applies: (op) => op.guarded && op.hasBody, description: () => `The body is over ${MAX_BODY_BYTES / 1024} KiB.` },
  { status: "415", applies: (op) => op.guarded && op.hasBody, description: () => "The body is not sent as `application/json`." },
  // onError: anything unexpected, logged with the request id.
  { status: "500", applies: () => true, description: () => "Something went wrong on our side; the message quotes the request id." },
];

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

/**
 * Adds the shared statuses to every operation they apply to. A status the route declares
 * itself keeps its content, and its description gains the shared reasons after its own.
 */
export function declareSharedResponses(doc: Document, isGuarded: (path: string) => boolean): Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "put", "post", "delete", "patch"] as const) {
      const op: Operation | undefined = item[method];
      if (!op) continue;
      const security = op.security ?? doc.security ?? [];
      const facts: OperationFacts = {
        method,
        guarded: isGuarded(path),
        hasInputs: (op.parameters?.length ?? 0) > 0 || op.requestBody !== undefined,
        hasBody: op.requestBody !== undefined,
        signIn: security.length === 0 ? null : { apiKey: security.some((requirement) => "apiKey" in requirement) },
      };
      const responses = (op.responses ??= {});
      for (const shared of SHARED_RESPONSES) {
        if (!shared.applies(facts)) continue;
        const description = shared.description(facts);
        const own = responses[shared.status];
        if (!own) responses[shared.status] = { description, content: errorContent };
        else if (!own.description.includes(description)) own.description = `${own.description} ${description}`;
      }
    }
  }
  return doc;
}

/** The Postgres schema of Kiln: owned by the worker alone. */
export * from "./accounts";
export * from "./organizations";
export * from "./gateways";
export * from "./platform";

/** The Postgres schema of Kiln: owned by the worker alone. */
export * from "./accounts";
export * from "./organizations";
export * from "./vpn-bridges";
export * from "./platform";

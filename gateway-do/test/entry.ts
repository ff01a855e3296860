/** The worker as the tests run it: the real entry, plus the test gateway class (vitest.config.ts binds it). */
export { default, GatewayDO } from "../../worker/src/index";
export { TestGatewayDO } from "./test-gateway";

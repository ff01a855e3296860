/** A gateway running the registry's modules and the tests' own (bound as TEST_GATEWAY in the tests only). */
import { GatewayDO } from "../src/gateway-do";
import type { ModuleDefinition } from "../src/modules/kit";
import { modules } from "../src/modules/registry";
import { tickets } from "./modules/tickets";

export class TestGatewayDO extends GatewayDO {
  protected override moduleList(): readonly ModuleDefinition[] {
    return [...modules, tickets];
  }
}

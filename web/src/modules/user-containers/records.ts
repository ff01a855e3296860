/** The containers of a project as the board shows them, read from the project doc with their schema (a bad record is skipped, never cast). */
import type * as Y from "yjs";
import type { ContainerRecord } from "../../../../protocol/containers";
import { containersOf, readContainer } from "../../../../gateway-do/src/modules/user-containers/records";
import { DocView } from "../../board/module-state";
import type { BoardStore } from "../../board/store";
import { useBoard, useBoardStore } from "../../board/store-context";

/** Every well-formed container record (the gateway's readContainer: checked with the schema), by id: the node id too. */
export function readContainers(doc: Y.Doc): ReadonlyMap<string, ContainerRecord> {
  const out = new Map<string, ContainerRecord>();
  for (const id of containersOf(doc).keys()) {
    const record = readContainer(doc, id);
    if (record) out.set(id, record);
  }
  return out;
}

const CONTAINERS = new DocView((doc) => readContainers(doc));
/** The containers, the same map until the doc changes. */
export const containersState = (store: BoardStore) => store.fromDoc(CONTAINERS);

/** One container, live (undefined until the doc has it, or when its record is bad). */
export function useContainer(id: string): ContainerRecord | undefined {
  const store = useBoardStore();
  return useBoard(() => containersState(store).get(id));
}

/** Jumping to an item of the view shown: centred on screen (zoomed in to at least 80 %) and selected, as search results and a chat's "Show the note" do. */
import { useReactFlow } from "@xyflow/react";
import { useCallback } from "react";
import { useBoardStore } from "./store-context";

const JUMP_ZOOM = 0.8;

/** Returns `jump(flowId)`: false when the item is not on the view shown. */
export function useJumpTo(): (id: string) => boolean {
  const store = useBoardStore();
  const flow = useReactFlow();
  return useCallback(
    (id: string) => {
      const node = flow.getInternalNode(id);
      // Zoomed far out xyflow holds every node hidden (FarBoard draws them): whether it is on the view is the board's to say.
      if (!node || !store.getSnapshot().nodes.some((n) => n.id === id && !n.hidden)) return false;
      const width = node.measured.width ?? node.width ?? 0;
      const height = node.measured.height ?? node.height ?? 0;
      const at = node.internals.positionAbsolute;
      store.setSelection(new Set([id]));
      void flow.setCenter(at.x + width / 2, at.y + height / 2, { zoom: Math.max(flow.getZoom(), JUMP_ZOOM), duration: 250 });
      return true;
    },
    [store, flow],
  );
}

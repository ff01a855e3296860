/**
 * An image on the board: the stored picture filling its node (the node keeps its aspect ratio
 * when resized). Zoomed far out it is a plain tinted box, so a board of photos stays fluid.
 */
import type { Node, NodeProps } from "@xyflow/react";
import { useState } from "react";
import type { ImageRecord } from "../../../../gateway-do/src/modules/images";
import { imageUrl } from "../../../../protocol/images";
import type { GraphNodeData } from "../../board/flow-model";
import { NodeFrame } from "../../board/nodes/NodeFrame";
import { useBoardStore } from "../../board/store-context";
import { useFarZoom } from "../../board/zoom";
import "./images.css";

export interface ImageNodeData extends GraphNodeData {
  /** The stored image it shows; undefined while its record is unreadable. */
  image: ImageRecord | undefined;
}

/** An image node, drawn from its stored picture. */
export function ImageNode({ id, data, selected }: NodeProps<Node<ImageNodeData>>) {
  const store = useBoardStore();
  const far = useFarZoom();
  // The same src for the same image: a broken one stays broken until the node is drawn anew.
  const [broken, setBroken] = useState<string | null>(null);
  const src = data.image && store.place ? imageUrl(store.place.org, store.place.project, data.image.image) : null;
  return (
    <NodeFrame id={id} kind="image" selected={!!selected} locked={data.locked} selectedBy={data.selectedBy} look={data.style} minWidth={24} minHeight={24} keepAspectRatio far={far}>
      {far ? (
        <div className="image-far" aria-label="Image" />
      ) : src && broken !== src ? (
        <img className="image-picture" src={src} alt={data.image ? `Image, ${data.image.width}×${data.image.height} pixels` : "Image"} draggable={false} decoding="async" onError={() => setBroken(src)} data-testid="board-image" />
      ) : (
        <div className="image-missing" role="img" aria-label="Image unavailable">
          This image could not be loaded.
        </div>
      )}
    </NodeFrame>
  );
}

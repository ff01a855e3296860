/** The images being uploaded from this screen, each with how much is sent. */
import { useBoard, useBoardStore } from "../../board/store-context";
import { uploadsSlot } from "./uploads";
import "./images.css";

export function UploadProgress() {
  const store = useBoardStore();
  const uploads = useBoard(() => store.ui(uploadsSlot));
  if (uploads.length === 0) return null;
  return (
    <div className="image-uploads" role="status" aria-live="polite">
      {uploads.map((u) => (
        <div key={u.key} className="image-upload">
          <span>
            Uploading {u.name}… {Math.round(u.sent * 100)} %
          </span>
          <progress max={1} value={u.sent} aria-label={`Uploading ${u.name}`} />
        </div>
      ))}
    </div>
  );
}

/** Why something was refused or went wrong, for a few seconds. */
import { useBoard, useBoardStore } from "./store-context";

export function Toasts() {
  const store = useBoardStore();
  const toasts = useBoard((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === "error" ? "alert" : "status"}>
          <span>{t.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => store.dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

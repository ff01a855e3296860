/**
 * The create dialog (the Container tool, the board's "New container here"): a name, an image
 * from the catalog or any image reference (then its services as `name:port` lines), who may
 * open it; Create asks the worker, which places the node where the dialog was opened and
 * answers with the launch command, shown here once with Copy.
 */
import "./containers.css";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { type CatalogImage, SHARE_LEVELS, type ShareLevel, ShareLevelSchema } from "../../../../protocol/containers";
import { asApiError } from "../../api/client";
import { useBoard, useBoardStore } from "../../board/store-context";
import { useCan } from "./access";
import { createContainer } from "./api";
import { useCatalog } from "./catalog";
import { CopyCommand, LaunchNeeds } from "./CopyCommand";
import { type CreateAt, CREATE_AT, closeCreateDialog } from "./create-dialog-state";
import { SHARE_WORDS } from "./format";
import { parseServices } from "./image-search";
import { ImagePicker } from "./ImagePicker";
import { rememberLaunchCommand } from "./launch-commands";
import { CREATE_PERMISSION } from "./permissions";
import { CONTAINER_ICON } from "./ContainerNode";
import { Icon } from "../../board/Icon";

/** Mounted with the editor; shows itself while the dialog is open. */
export function CreateContainerOverlay() {
  const store = useBoardStore();
  const at = useBoard(() => store.ui(CREATE_AT));
  return at ? <CreateContainerDialog at={at} onClose={() => closeCreateDialog(store)} /> : null;
}

type Done = { name: string; command: string };

export function CreateContainerDialog({ at, onClose }: { at: CreateAt; onClose: () => void }) {
  const store = useBoardStore();
  const can = useCan();
  const catalog = useCatalog();
  const titleId = useId();
  const [name, setName] = useState("");
  const [image, setImage] = useState("");
  const [services, setServices] = useState("");
  const [share, setShare] = useState<ShareLevel>("project");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);

  const images = catalog.kind === "ready" ? catalog.catalog.images : [];
  const known: CatalogImage | undefined = images.find((i) => i.image === image.trim());
  const custom = image.trim() !== "" && !known;
  const allowed = can(CREATE_PERMISSION);

  const pick = (picked: CatalogImage) => {
    setImage(picked.image);
    if (!name.trim()) setName(picked.name);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!name.trim()) return setError("Give it a name.");
    if (!image.trim()) return setError("Pick an image, or type an image reference.");
    const declared = custom ? parseServices(services) : null;
    if (declared && !declared.ok) return setError(declared.message);
    if (!store.place) return setError("This board is not connected to a project.");
    setBusy(true);
    try {
      const created = await createContainer(store.place.org, store.place.project, {
        name: name.trim(),
        image: image.trim(),
        share,
        ...(declared?.ok ? { services: declared.services } : {}),
        viewId: at.viewId,
        x: Math.round(at.at.x),
        y: Math.round(at.at.y),
      });
      rememberLaunchCommand(created.container.id, created.command);
      setDone({ name: created.container.name, command: created.command });
    } catch (err) {
      const failure = asApiError(err);
      // A refused field (the image reference, the name) says what is wrong with it.
      const fields = Object.values(failure.fields).flatMap((messages) => messages.slice(0, 1));
      setError([failure.message, ...fields].join(" "));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="uc-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="uc-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === "Escape" && !e.defaultPrevented) onClose();
        }}
      >
        <h2 id={titleId}>
          <Icon name={CONTAINER_ICON} /> {done ? `${done.name} is on the board` : "New container"}
        </h2>
        {done ? (
          <>
            <p>
              <LaunchNeeds /> It joins the organization's private network and shows up as running on the board.
            </p>
            <CopyCommand command={done.command} />
            <p className="uc-hint">
              The command holds the container's secret token and is shown only now and on this page. Lost it? The node offers a new one (the old one then stops working).
            </p>
            <div className="uc-row is-end">
              <button type="button" className="uc-button is-primary" onClick={onClose}>
                Done
              </button>
            </div>
          </>
        ) : (
          <form onSubmit={(e) => void submit(e)} noValidate>
            <label htmlFor="uc-name">Name</label>
            <input id="uc-name" ref={first} value={name} maxLength={80} placeholder="e.g. Training box" onChange={(e) => setName(e.target.value)} autoComplete="off" />
            <label htmlFor="uc-image">Image</label>
            <ImagePicker images={images} value={image} onChange={setImage} onPick={pick} />
            {catalog.kind === "error" && <p className="uc-hint">The catalog could not be loaded ({catalog.message}); any image reference works.</p>}
            {known && (
              <p className="uc-hint">
                {known.description} Serves {known.services.map((s) => `${s.name} (:${s.port})`).join(", ") || "nothing on the web"}.
              </p>
            )}
            {custom && (
              <>
                <label htmlFor="uc-services">Services it serves</label>
                <textarea id="uc-services" rows={3} spellCheck={false} placeholder={"web:8080\nmetrics:9100"} value={services} onChange={(e) => setServices(e.target.value)} />
                <p className="uc-hint">Not in the catalog: one per line as name:port (HTTP), or name:port/tcp. None is fine.</p>
              </>
            )}
            <label htmlFor="uc-share">Who may open its apps</label>
            <select
              id="uc-share"
              value={share}
              onChange={(e) => {
                const level = ShareLevelSchema.safeParse(e.target.value);
                if (level.success) setShare(level.data);
              }}
            >
              {SHARE_LEVELS.map((level) => (
                <option key={level} value={level}>
                  {SHARE_WORDS[level]}
                </option>
              ))}
            </select>
            {error && (
              <p className="uc-error" role="alert">
                {error}
              </p>
            )}
            <div className="uc-row is-end">
              <button type="button" className="uc-button" onClick={onClose}>
                Cancel
              </button>
              <button type="submit" className="uc-button is-primary" disabled={busy || !allowed} title={allowed ? undefined : "Your roles in this project do not let you create containers."}>
                {busy ? "Creating…" : "Create"}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

/** The image field: free text with suggestions from the catalog (name, description, tags, services), picked with the mouse or ↑ ↓ Enter. */
import { useId, useMemo, useState, type KeyboardEvent } from "react";
import type { CatalogImage } from "../../../../protocol/containers";
import { searchImages } from "./image-search";

interface Props {
  images: readonly CatalogImage[];
  value: string;
  onChange: (text: string) => void;
  onPick: (image: CatalogImage) => void;
}

export function ImagePicker({ images, value, onChange, onPick }: Props) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = useMemo(() => searchImages(images, value).slice(0, 8), [images, value]);
  const shown = open && matches.length > 0;
  const pick = (image: CatalogImage) => {
    onPick(image);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return setOpen(true);
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (matches.length === 0 ? -1 : (a + step + matches.length) % matches.length));
    } else if (e.key === "Enter" && shown && matches[active]) {
      e.preventDefault();
      pick(matches[active]);
    } else if (e.key === "Escape" && shown) {
      // Closes the suggestions, not the dialog.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };
  return (
    <div className="uc-combo">
      <input
        id="uc-image"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={listId}
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search: jupyter, lang:python, gpu… or any image reference"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {shown && (
        <ul id={listId} role="listbox" className="uc-options" aria-label="Images">
          {matches.map((image, i) => (
            <li
              key={image.image}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "is-active" : undefined}
              // Before the input's blur, so the click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(image);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <div className="uc-option-head">
                <b>{image.name}</b>
                <code>{image.image}</code>
              </div>
              <div className="uc-option-desc">{image.description}</div>
              <div className="uc-tags">
                {image.services.map((s) => (
                  <span key={s.name} className="uc-tag is-service">
                    {s.name}:{s.port}
                  </span>
                ))}
                {image.tags.map((t) => (
                  <span key={t} className="uc-tag">
                    {t}
                  </span>
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

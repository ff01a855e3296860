/** Small line icons (emoji are missing from many Linux fonts). */
const paths = {
  note: "M5 3h10l4 4v14H5z M15 3v4h4 M8 12h8 M8 16h6",
  chat: "M4 5h16v11H9l-5 4z",
  lock: "M6 11h12v9H6z M9 11V8a3 3 0 0 1 6 0v3",
  trash: "M4 7h16 M9 7V4h6v3 M6 7l1 13h10l1-13",
  group: "M3 3h7v7H3z M14 14h7v7h-7z M6.5 10v4a3 3 0 0 0 3 3h4.5 M17.5 14v-4a3 3 0 0 0-3-3H10",
  ungroup: "M3 3h7v7H3z M14 14h7v7h-7z",
  undo: "M9 14L4 9l5-5 M4 9h11a5 5 0 0 1 0 10h-4",
  redo: "M15 14l5-5-5-5 M20 9H9a5 5 0 0 0 0 10h4",
  select: "M5 3l13 8-6 1.5L9 19z M12 12.5l5 6.5",
  rectangle: "M3 6h18v12H3z",
  ellipse: "M12 5c5 0 9 3.1 9 7s-4 7-9 7-9-3.1-9-7 4-7 9-7z",
  arrow: "M3 12h16 M14 7l5 5-5 5",
  text: "M5 5h14 M12 5v14 M9 19h6",
  search: "M11 4a7 7 0 1 1 0 14a7 7 0 0 1 0-14z M16 16l5 5",
  download: "M12 4v11 M7 10l5 5 5-5 M5 20h14",
} as const;

export type IconName = keyof typeof paths;
/** One of the icons above, or a module's own (a 24×24 line path), so a new kind adds no name here. */
export type IconSpec = IconName | { d: string };

export function Icon({ name, title }: { name: IconSpec; title?: string }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden={title ? undefined : true} role={title ? "img" : undefined}>
      {title && <title>{title}</title>}
      <path d={typeof name === "string" ? paths[name] : name.d} />
    </svg>
  );
}

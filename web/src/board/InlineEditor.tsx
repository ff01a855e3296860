/**
 * A one-line field for words written in place on the board (an edge's label, a group's name):
 * it opens focused with its text selected; Enter or leaving it gives its value, Escape gives
 * null (cancel); its keys stay out of the board's shortcuts.
 */
import type { InputHTMLAttributes } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "autoFocus" | "onFocus" | "onBlur" | "onKeyDown"> & { onDone: (value: string | null) => void };

export function InlineEditor({ onDone, ...input }: Props) {
  return (
    <input
      {...input}
      autoFocus
      onFocus={(e) => e.currentTarget.select()}
      onBlur={(e) => onDone(e.currentTarget.value)}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === "Enter") onDone(e.currentTarget.value);
        else if (e.key === "Escape") onDone(null);
      }}
    />
  );
}

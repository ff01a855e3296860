import { useEffect, useRef, useState } from "react";

interface ConfirmButtonProps {
  /** The button's text, e.g. "Remove". */
  label: string;
  /** The question asked before doing it, e.g. "Remove Ada from Acme?". */
  question: string;
  /** What the confirming button says; `label` by default. */
  confirmLabel?: string;
  /** For screen readers when the label alone is ambiguous in a list: "Remove Ada". */
  accessibleLabel?: string;
  onConfirm: () => void;
  disabled?: boolean;
}

/** A destructive action asked twice, inline (no modal): the button turns into a question. */
export function ConfirmButton({ label, question, confirmLabel, accessibleLabel, onConfirm, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" className="button small danger-quiet" aria-label={accessibleLabel} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === "Escape" && setAsking(false)}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="button small danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel ?? label}
      </button>
      <button type="button" className="button small" ref={cancelRef} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

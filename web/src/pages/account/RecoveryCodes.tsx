import { useEffect, useMemo } from "react";
import { CopyButton } from "../../components/CopyButton";

/** Recovery codes, shown once: copy or download them before leaving. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `Kiln recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  const href = useMemo(() => URL.createObjectURL(new Blob([text], { type: "text/plain" })), [text]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  return (
    <div className="recovery" role="region" aria-labelledby="recovery-title">
      <h3 id="recovery-title">Save your recovery codes</h3>
      <p className="muted">
        If you lose your phone, each of these signs you in once in place of a code. <strong>This is the only time they are shown.</strong>
      </p>
      <ul className="codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <CopyButton text={text} label="Copy codes" />
        <a className="button small" href={href} download="kiln-recovery-codes.txt">
          Download
        </a>
        <button type="button" className="button small primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

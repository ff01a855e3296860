/** A launch command with a Copy button that says "Copied" for a moment. */
import { useEffect, useState } from "react";

export const LAUNCH_NEEDS = "Run this on any machine with Docker. It needs --cap-add=NET_ADMIN and --device /dev/net/tun.";

/** LAUNCH_NEEDS with its flags as code, kept whole on a line. */
export function LaunchNeeds() {
  return (
    <>
      Run this on any machine with Docker. It needs <code className="uc-flag">--cap-add=NET_ADMIN</code> and <code className="uc-flag">--device /dev/net/tun</code>.
    </>
  );
}

export function CopyCommand({ command, compact = false }: { command: string; compact?: boolean }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied("yes");
    } catch {
      // No clipboard (an insecure origin, a refusal): the text stays selectable.
      setCopied("failed");
    }
  };
  return (
    <div className={`uc-command${compact ? " is-compact" : ""}`}>
      <pre className="nowheel" aria-label="Launch command" tabIndex={0}>
        {command}
      </pre>
      <button type="button" className={`uc-copy${copied === "yes" ? " is-copied" : ""}`} onClick={() => void copy()} aria-live="polite">
        {copied === "yes" ? "Copied ✓" : copied === "failed" ? "Select and copy" : "Copy"}
      </button>
    </div>
  );
}

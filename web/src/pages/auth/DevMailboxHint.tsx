import { useEffect, useState } from "react";
import { hasDevMailbox } from "../../api/auth";

let probe: Promise<boolean> | null = null;

/** True when the API has the local dev mailbox: asked once per page load. */
export function useDevMailbox(): boolean {
  const [exists, setExists] = useState(false);
  useEffect(() => {
    let live = true;
    probe ??= hasDevMailbox();
    void probe.then((yes) => live && setExists(yes));
    return () => {
      live = false;
    };
  }, []);
  return exists;
}

/** A link to the dev mailbox, for the "check your inbox" messages (local stacks only). */
export function DevMailboxHint({ email }: { email: string }) {
  const exists = useDevMailbox();
  if (!exists) return null;
  return (
    <p className="hint">
      Running Kiln locally? Emails land in the{" "}
      <a href={`/api/dev/mailbox?to=${encodeURIComponent(email)}`} target="_blank" rel="noreferrer">
        dev mailbox
      </a>
      .
    </p>
  );
}

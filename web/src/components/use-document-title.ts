import { useEffect } from "react";

/** "Acme · Kiln" in the tab and the history, so people find their way back. */
export function useDocumentTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Kiln` : "Kiln";
  }, [title]);
}

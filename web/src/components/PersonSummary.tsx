import type { ReactNode } from "react";
import type { UserSummary } from "../api/types";
import { initials } from "./AppShell";

/** A person in a list row: initials, name ("(you)" for oneself), email and a detail. */
export function PersonSummary({ user, self, detail }: { user: UserSummary; self: boolean; detail: ReactNode }) {
  return (
    <div className="row-main">
      <span className="avatar" aria-hidden="true">
        {initials(user.name || user.email)}
      </span>
      <span>
        <span className="row-title">
          {user.name} {self && <span className="muted">(you)</span>}
        </span>
        <span className="row-meta">
          {user.email} · {detail}
        </span>
      </span>
    </div>
  );
}

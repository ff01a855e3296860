import { useCallback, useEffect, useState } from "react";
import { asApiError, type ApiError } from "../../api/client";
import { listAuditLog, listMembers } from "../../api/orgs";
import type { AuditEntry } from "../../api/types";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { useOrg } from "./OrgLayout";

const PAGE_SIZE = 25;

/** What each action means, in words. */
const ACTIONS: Record<string, string> = {
  "org.create": "created the organization",
  "org.rename": "renamed the organization",
  "org.delete": "deleted the organization",
  "org.member.role": "changed a member's role",
  "org.member.remove": "removed a member",
  "org.member.leave": "left the organization",
  "org.invitation.create": "invited someone",
  "org.invitation.revoke": "revoked an invitation",
  "org.invitation.accept": "accepted an invitation",
  "project.create": "created a project",
  "project.update": "changed a project",
  "project.delete": "deleted a project",
  "project.member.add": "added someone to a project",
  "project.member.role": "changed a project role",
  "project.member.remove": "removed someone from a project",
  "project.member.leave": "left a project",
  "bridge.allocate": "pinned the organization to a VPN bridge",
};

function details(data: AuditEntry["data"]): string {
  if (!data) return "";
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

interface Log {
  entries: AuditEntry[];
  next: number | null;
}

/** The org's audit log for admins: newest first, a page at a time. */
export function AuditLogTab() {
  const { org, isAdmin } = useOrg();
  const [log, setLog] = useState<Log | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  const loadPage = useCallback(
    async (before?: number) => {
      setLoading(true);
      setError(null);
      try {
        const page = await listAuditLog(org.id, before, PAGE_SIZE);
        setLog((prev) => ({ entries: before && prev ? [...prev.entries, ...page.entries] : page.entries, next: page.next }));
      } catch (e) {
        setError(asApiError(e));
      } finally {
        setLoading(false);
      }
    },
    [org.id],
  );

  useEffect(() => {
    if (!isAdmin) return;
    void loadPage();
    listMembers(org.id).then(
      (r) => setNames(new Map(r.members.map((m) => [m.user.id, m.user.name || m.user.email]))),
      () => undefined,
    );
  }, [org.id, isAdmin, loadPage]);

  if (!isAdmin) return <PageMessage title="Only admins and owners see the audit log" />;
  const actor = (id: string | null) => (id ? (names.get(id) ?? "A former member") : "Kiln");

  return (
    <section aria-labelledby="audit-title" aria-busy={loading}>
      <h2 id="audit-title" className="section-title">
        Audit log
      </h2>
      {log && log.entries.length === 0 && <p className="muted">Nothing has happened here yet.</p>}
      {log && log.entries.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {log.entries.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
                    {formatRelative(entry.createdAt)}
                  </time>
                </td>
                <td>{actor(entry.actorUserId)}</td>
                <td>
                  {ACTIONS[entry.action] ?? entry.action}
                  <span className="code-tag">{entry.action}</span>
                </td>
                <td className="details">{details(entry.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={error} />
      {loading && <PageMessage busy title="Loading…" />}
      {log?.next && !loading && (
        <button type="button" className="button" onClick={() => void loadPage(log.next ?? undefined)}>
          Load older entries
        </button>
      )}
    </section>
  );
}

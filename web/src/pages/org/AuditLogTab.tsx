import { useCallback, useEffect, useState } from "react";
import { asApiError, type ApiError } from "../../api/client";
import { listAuditLog } from "../../api/orgs";
import type { AuditEntry } from "../../api/types";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { type AuditNames, describeEntry, personName } from "./audit-words";
import { useOrg } from "./OrgLayout";

const PAGE_SIZE = 25;

/** What the entry holds beyond its sentence (an address, a container), for whoever needs the detail. */
function details(data: AuditEntry["data"]): string {
  if (!data) return "";
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}

interface Log extends AuditNames {
  entries: AuditEntry[];
  next: number | null;
}

/** The org's audit log for admins: newest first, a page at a time. */
export function AuditLogTab() {
  const { org, isAdmin } = useOrg();
  const [log, setLog] = useState<Log | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);

  const loadPage = useCallback(
    async (before?: number) => {
      setLoading(true);
      setError(null);
      try {
        const page = await listAuditLog(org.id, before, PAGE_SIZE);
        setLog((prev) =>
          before && prev
            ? { entries: [...prev.entries, ...page.entries], next: page.next, people: { ...prev.people, ...page.people }, projects: { ...prev.projects, ...page.projects } }
            : page,
        );
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
  }, [org.id, isAdmin, loadPage]);

  if (!isAdmin) return <PageMessage title="Only admins and owners see the audit log" />;
  const actor = (id: string | null) => (id && log ? personName(log, id) : "Kiln");

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
                  {describeEntry(entry, log)}
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

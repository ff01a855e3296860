import { useNavigate } from "react-router";
import { listSessions, revokeOtherSessions, revokeSession } from "../../api/account";
import type { Session } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { useAction } from "../../components/use-action";
import { useResource } from "../../components/use-resource";
import { useSession } from "../../session/session";

const METHODS: Record<string, string> = { password: "password", magic_link: "emailed link", password_reset: "password reset" };

/** "Firefox on Linux" from a user agent, roughly; the full string is in the title. */
export function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : /curl|node|undici/i.test(ua) ? "A script" : "A browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X|Macintosh/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}

const method = (m: string) => (m.startsWith("oauth:") ? m.slice(6) : (METHODS[m] ?? m));

/** Where the account is signed in; sign any of them out. */
export function SessionsSection() {
  const { resource, set } = useResource(() => listSessions().then((r) => r.sessions), []);
  const action = useAction();
  const { signOut } = useSession();
  const navigate = useNavigate();

  const revoke = (session: Session) =>
    void action.run(async () => {
      await revokeSession(session.id);
      if (session.current) {
        await signOut();
        navigate("/login");
        return;
      }
      set((list) => list.filter((s) => s.id !== session.id));
    });
  const revokeOthers = () =>
    void action.run(async () => {
      await revokeOtherSessions();
      set((list) => list.filter((s) => s.current));
    });

  return (
    <section className="card" aria-labelledby="sessions-title" aria-busy={resource.status === "loading"}>
      <h2 id="sessions-title">Sessions</h2>
      <ErrorMessage error={action.error} />
      {resource.status === "loading" && <PageMessage busy title="Loading sessions…" />}
      {resource.status === "error" && <ErrorMessage error={resource.error} />}
      {resource.status === "ready" && (
        <>
          <ul className="rows" aria-label="Sessions">
            {resource.data.map((session) => (
              <li key={session.id} className="row">
                <div className="row-main">
                  <span>
                    <span className="row-title" title={session.userAgent ?? undefined}>
                      {describeAgent(session.userAgent)} {session.current && <span className="badge ok">this browser</span>}
                    </span>
                    <span className="row-meta">
                      {session.ip ?? "unknown address"} · signed in with {method(session.method)} {formatRelative(session.createdAt)} · active{" "}
                      <time dateTime={session.lastSeenAt} title={formatDateTime(session.lastSeenAt)}>
                        {formatRelative(session.lastSeenAt)}
                      </time>
                    </span>
                  </span>
                </div>
                <div className="row-actions">
                  <ConfirmButton
                    label={session.current ? "Sign out" : "Revoke"}
                    accessibleLabel={session.current ? "Sign out this browser" : `Revoke the session of ${describeAgent(session.userAgent)}`}
                    question={session.current ? "Sign out here?" : "Sign this session out?"}
                    onConfirm={() => revoke(session)}
                  />
                </div>
              </li>
            ))}
          </ul>
          {resource.data.length > 1 && (
            <div className="actions">
              <ConfirmButton label="Sign out everywhere else" question="Sign out every other session?" confirmLabel="Sign them out" onConfirm={revokeOthers} />
            </div>
          )}
        </>
      )}
    </section>
  );
}

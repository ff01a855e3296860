import { Link, useNavigate, useSearchParams } from "react-router";
import { acceptInvitation } from "../api/orgs";
import { ErrorMessage } from "../components/ErrorMessage";
import { PageMessage } from "../components/PageMessage";
import { useAction } from "../components/use-action";
import { loginPath } from "../session/redirect";
import { useMe, useSession } from "../session/session";

/** `/invitations/accept?token=…`: join an organization from an emailed invitation. */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const me = useMe();
  const { refresh, signOut } = useSession();
  const navigate = useNavigate();
  const { run, pending, error } = useAction();

  if (!token) {
    return (
      <main id="main" className="page narrow">
        <PageMessage title="This invitation link is incomplete" tone="error">
          <p>Open the link from the email again.</p>
        </PageMessage>
      </main>
    );
  }

  const accept = async () => {
    const outcome = await run(() => acceptInvitation(token));
    if (!outcome.ok) return;
    await refresh();
    navigate(`/orgs/${outcome.value.org.id}`, { replace: true });
  };

  const here = `/invitations/accept?token=${encodeURIComponent(token)}`;
  return (
    <main id="main" className="page narrow">
      <section className="card invite">
        <h1>Join an organization</h1>
        <p className="muted">
          You were invited to an organization on Kiln. You will join it as <strong>{me.user.email}</strong>.
        </p>
        <ErrorMessage error={error} />
        {error?.code === "invitation_email_mismatch" && (
          <p>
            <button type="button" className="link-button" onClick={() => void signOut().then(() => navigate(loginPath(here)))}>
              Sign out and sign in with the invited address
            </button>
          </p>
        )}
        {error?.code === "already_member" ? (
          <Link to="/" className="button primary">
            Go to your organizations
          </Link>
        ) : (
          <div className="actions">
            <button type="button" className="button primary" disabled={pending} onClick={() => void accept()}>
              {pending ? "Joining…" : "Accept invitation"}
            </button>
            <Link to="/" className="button">
              Not now
            </Link>
          </div>
        )}
      </section>
    </main>
  );
}

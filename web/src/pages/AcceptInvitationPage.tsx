import type { ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { orgPath } from "./org-path";
import { acceptInvitation, previewInvitation } from "../api/orgs";
import type { InvitationPreview } from "../../../protocol/api/orgs";
import { AuthLayout } from "../components/AuthLayout";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatRelative } from "../components/format";
import { PageMessage } from "../components/PageMessage";
import { useAction } from "../components/use-action";
import { useDocumentTitle } from "../components/use-document-title";
import { useResource } from "../components/use-resource";
import { loginPath } from "../session/redirect";
import { useSession } from "../session/session";

const ROLE_WORDS: Record<InvitationPreview["role"], string> = {
  member: "a member: you see the organization's projects and create your own",
  admin: "an admin: you also manage members, invitations and every project",
  owner: "an owner: you also manage owners and may delete the organization",
};

/**
 * `/invitations/accept?token=…`: an emailed invitation. Says which organization, who invited
 * and as what, signed out too; a signed-out visitor signs up or in with the invited address
 * filled in, and comes back here to accept.
 */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get("token");
  const { state } = useSession();
  const { resource } = useResource(() => (token ? previewInvitation(token) : Promise.resolve(null)), [token]);
  const signedIn = state.status === "signed_in";
  const title = resource.status === "ready" && resource.data ? `Join ${resource.data.org.name}` : "Join an organization";
  useDocumentTitle(title);

  let body: ReactNode;
  if (!token) {
    body = (
      <PageMessage title="This invitation link is incomplete" tone="error">
        <p>Open the link from the email again.</p>
      </PageMessage>
    );
  } else if (resource.status === "loading") {
    body = <PageMessage busy title="Reading the invitation…" />;
  } else if (resource.status === "error" || !resource.data) {
    body = resource.status === "error" ? <ErrorMessage error={resource.error} /> : null;
  } else {
    body = <Invitation token={token} invitation={resource.data} signedIn={signedIn} />;
  }
  if (signedIn) {
    return (
      <main id="main" className="page narrow">
        <section className="card invite">
          <h1>{title}</h1>
          {body}
        </section>
      </main>
    );
  }
  return <AuthLayout title={title}>{body}</AuthLayout>;
}

function Invitation({ token, invitation, signedIn }: { token: string; invitation: InvitationPreview; signedIn: boolean }) {
  const here = `/invitations/accept?token=${encodeURIComponent(token)}`;
  const withEmail = (path: string) => `${path}?${new URLSearchParams({ email: invitation.email, redirect: here })}`;
  const intro = (
    <p className="invite-lead">
      {invitation.invitedBy ? <strong>{invitation.invitedBy.name}</strong> : "Someone"} invited <strong>{invitation.email}</strong> to join <strong>{invitation.org.name}</strong> on Kiln
      as {ROLE_WORDS[invitation.role]}.
    </p>
  );
  if (invitation.state !== "pending") {
    return (
      <>
        {intro}
        <p className="alert error" role="alert">
          {invitation.state === "accepted" ? "This invitation has already been used." : "This invitation has expired. Ask an admin of the organization to invite you again."}
        </p>
        <Link to="/" className="button">
          Go to Kiln
        </Link>
      </>
    );
  }
  if (!signedIn) {
    return (
      <>
        {intro}
        <div className="stack">
          <p className="hint">
            It expires {formatRelative(invitation.expiresAt)}. Accept it with an account for {invitation.email}.
          </p>
          <Link to={withEmail("/signup")} className="button primary wide">
            Create an account to join
          </Link>
          <Link to={withEmail("/login")} className="button wide">
            I have an account: sign in
          </Link>
        </div>
      </>
    );
  }
  return <AcceptAsMe token={token} invitation={invitation} intro={intro} here={here} />;
}

function AcceptAsMe({ token, invitation, intro, here }: { token: string; invitation: InvitationPreview; intro: ReactNode; here: string }) {
  const { state, refresh, signOut } = useSession();
  const navigate = useNavigate();
  const { run, pending, error } = useAction();
  const me = state.status === "signed_in" ? state.me.user.email : "";
  const otherAddress = me.toLowerCase() !== invitation.email.toLowerCase();
  const accept = async () => {
    const outcome = await run(() => acceptInvitation(token));
    if (!outcome.ok) return;
    await refresh();
    navigate(orgPath(outcome.value.org), { replace: true });
  };
  const switchAccount = () => void signOut().then(() => navigate(`${loginPath(here)}&email=${encodeURIComponent(invitation.email)}`));
  return (
    <>
      {intro}
      {otherAddress ? (
        <p className="alert" role="status">
          You are signed in as <strong>{me}</strong>, not {invitation.email}.{" "}
          <button type="button" className="link-button" onClick={switchAccount}>
            Sign out and sign in as {invitation.email}
          </button>
        </p>
      ) : (
        <p className="muted">You will join as {me}.</p>
      )}
      <ErrorMessage error={error} />
      {error?.code === "already_member" ? (
        <Link to={`/orgs/${invitation.org.id}`} className="button primary">
          Go to {invitation.org.name}
        </Link>
      ) : (
        <div className="actions">
          <button type="button" className="button primary" disabled={pending || otherAddress} onClick={() => void accept()}>
            {pending ? "Joining…" : "Accept invitation"}
          </button>
          <Link to="/" className="button">
            Not now
          </Link>
        </div>
      )}
    </>
  );
}

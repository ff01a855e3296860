import { useState } from "react";
import { Link, NavLink, Outlet, useNavigate } from "react-router";
import { resendVerification } from "../api/auth";
import { useMe, useSession } from "../session/session";
import { ErrorMessage } from "./ErrorMessage";
import { useAction } from "./use-action";

/** The frame of every signed-in page: the top bar, the email banner, the page. */
export function AppShell() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Kiln
        </Link>
        <nav aria-label="Main" className="topnav">
          <NavLink to="/" end>
            Organizations
          </NavLink>
          <NavLink to="/account">Account</NavLink>
        </nav>
        <div className="topbar-user">
          <span className="avatar" aria-hidden="true">
            {initials(me.user.name || me.user.email)}
          </span>
          <span className="topbar-name" title={me.user.email}>
            {me.user.name || me.user.email}
          </span>
          <button
            type="button"
            className="button small"
            onClick={() => {
              void signOut().then(() => navigate("/login"));
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      {!me.user.emailVerified && <VerifyEmailBanner email={me.user.email} />}
      <Outlet />
    </div>
  );
}

function VerifyEmailBanner({ email }: { email: string }) {
  const { run, pending, error } = useAction();
  const [sent, setSent] = useState(false);
  return (
    <div className="banner" role="status">
      <span>
        Confirm your email address: we sent a link to <strong>{email}</strong>.
      </span>
      {sent ? (
        <span>A new link is on its way.</span>
      ) : (
        <button type="button" className="button small" disabled={pending} onClick={() => void run(resendVerification).then((r) => r.ok && setSent(true))}>
          Send it again
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

/** "Ada Lovelace" → "AL". */
export function initials(name: string): string {
  const parts = name.trim().split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts[1]?.[0] ?? "")).toUpperCase();
}

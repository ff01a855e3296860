import type { ReactNode } from "react";
import { Link } from "react-router";
import { HealthCard } from "./HealthCard";
import { useDocumentTitle } from "./use-document-title";

/** The signed-out pages: what Kiln is on one side, the form on the other. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="auth">
      <aside className="auth-aside">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Kiln
        </Link>
        <div className="auth-pitch">
          <h1>A whiteboard whose nodes run real compute.</h1>
          <p className="lead">Notes, chats, Jupyter kernels, terminals and web apps on one live board, shared by your team.</p>
        </div>
        {/* For whoever runs `npm start`: a visitor of the real site has no use for it. */}
        {import.meta.env.DEV && <HealthCard />}
      </aside>
      <main className="auth-main" id="main">
        <div className="auth-card">
          <h2 className="auth-title">{title}</h2>
          {children}
        </div>
        {footer && <div className="auth-footer">{footer}</div>}
      </main>
    </div>
  );
}

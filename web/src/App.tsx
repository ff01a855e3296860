import { HealthCard } from "./components/HealthCard";

/** The app shell; sign-in, organizations and the whiteboard come next. */
export function App() {
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Kiln
        </span>
        <nav aria-label="Developer links">
          <a href="/api/docs">API reference</a>
        </nav>
      </header>
      <main>
        <h1>A whiteboard whose nodes run real compute.</h1>
        <p className="lead">Notes, chats, Jupyter kernels, terminals and web apps on one live board, shared by your team.</p>
        <HealthCard />
      </main>
    </div>
  );
}

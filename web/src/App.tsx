import { BrowserRouter } from "react-router";
import { AppRoutes } from "./routes";
import { SessionProvider } from "./session/session";

/** The app: the session from /api/me, then the page for the URL. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <AppRoutes />
      </SessionProvider>
    </BrowserRouter>
  );
}

import { Link } from "react-router";
import { PageMessage } from "../components/PageMessage";

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <main id="main" className="page narrow">
      <PageMessage title="There is nothing at this address">
        <p>The link may be old, or mistyped.</p>
        <Link to="/" className="button primary">
          Go to your organizations
        </Link>
      </PageMessage>
    </main>
  );
}

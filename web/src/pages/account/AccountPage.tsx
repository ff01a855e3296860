import { useDocumentTitle } from "../../components/use-document-title";
import { ApiKeysSection } from "./ApiKeysSection";
import { PasswordSection } from "./PasswordSection";
import { ProfileSection } from "./ProfileSection";
import { SessionsSection } from "./SessionsSection";
import { TotpSection } from "./TotpSection";

/** `/account`: profile, password, two-factor, sessions, API keys. */
export function AccountPage() {
  useDocumentTitle("Account");
  return (
    <main id="main" className="page">
      <div className="page-head">
        <div>
          <h1>Your account</h1>
          <p className="muted">How you sign in, where you are signed in, and keys for your scripts.</p>
        </div>
      </div>
      <div className="account-grid">
        <div className="stack-lg">
          <ProfileSection />
          <PasswordSection />
          <TotpSection />
        </div>
        <div className="stack-lg">
          <SessionsSection />
          <ApiKeysSection />
        </div>
      </div>
    </main>
  );
}

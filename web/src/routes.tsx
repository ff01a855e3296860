import { Outlet, Route, Routes } from "react-router";
import { PageMessage } from "./components/PageMessage";
import { useSession } from "./session/session";
import { AppShell } from "./components/AppShell";
import { AcceptInvitationPage } from "./pages/AcceptInvitationPage";
import { AccountPage } from "./pages/account/AccountPage";
import { ForgotPasswordPage } from "./pages/auth/ForgotPasswordPage";
import { LoginPage } from "./pages/auth/LoginPage";
import { MagicLinkPage } from "./pages/auth/MagicLinkPage";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage";
import { SignupPage } from "./pages/auth/SignupPage";
import { VerifyEmailPage } from "./pages/auth/VerifyEmailPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OpenContainerPage } from "./pages/OpenContainerPage";
import { AuditLogTab } from "./pages/org/AuditLogTab";
import { MembersTab } from "./pages/org/MembersTab";
import { OrgLayout } from "./pages/org/OrgLayout";
import { ProjectsTab } from "./pages/org/ProjectsTab";
import { SettingsTab } from "./pages/org/SettingsTab";
import { OrgsPage } from "./pages/OrgsPage";
import { ProjectPage } from "./pages/ProjectPage";
import { GeneralTab } from "./pages/project/GeneralTab";
import { ProjectMembersTab } from "./pages/project/MembersTab";
import { ProjectSettingsLayout } from "./pages/project/ProjectSettingsLayout";
import { RolesTab } from "./pages/project/RolesTab";
import { RequireAuth } from "./session/RequireAuth";

/** Every page of the app. Signed-out pages first; the rest need a session. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route path="/magic-link" element={<MagicLinkPage />} />
      <Route path="/verify-email" element={<VerifyEmailPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      {/* Signed out too: the page says what the invitation is and offers to sign up with its address. */}
      <Route element={<ShellWhenSignedIn />}>
        <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      </Route>
      <Route
        element={
          <RequireAuth>
            <AppShell />
          </RequireAuth>
        }
      >
        <Route index element={<OrgsPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/containers/open" element={<OpenContainerPage />} />
        <Route path="/orgs/:org" element={<OrgLayout />}>
          <Route index element={<ProjectsTab />} />
          <Route path="members" element={<MembersTab />} />
          <Route path="audit-log" element={<AuditLogTab />} />
          <Route path="settings" element={<SettingsTab />} />
        </Route>
        <Route path="/orgs/:org/projects/:project" element={<ProjectPage />} />
        <Route path="/orgs/:org/projects/:project/settings" element={<ProjectSettingsLayout />}>
          <Route index element={<GeneralTab />} />
          <Route path="members" element={<ProjectMembersTab />} />
          <Route path="roles" element={<RolesTab />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

/** The app's frame for a signed-in person; a page open to everyone draws its own otherwise. */
function ShellWhenSignedIn() {
  const { state } = useSession();
  if (state.status === "loading") return <PageMessage busy title="Loading…" />;
  return state.status === "signed_in" ? <AppShell /> : <Outlet />;
}

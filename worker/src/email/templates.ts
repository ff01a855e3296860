/** The emails Kiln sends: plain text first, with a simple HTML version. */
import type { Email } from "./sender";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function withLink(to: string, subject: string, intro: string, action: string, link: string, outro: string): Email {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}: ${link}\n\n${outro}\n`,
    html:
      `<p>${escapeHtml(intro)}</p>` +
      `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#c2410c;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(action)}</a></p>` +
      `<p style="color:#57534e;font-size:13px">${escapeHtml(outro)}<br>${escapeHtml(link)}</p>`,
  };
}

export const emails = {
  verifyEmail: (to: string, link: string) =>
    withLink(to, "Confirm your email for Kiln", "Welcome to Kiln! Confirm this is your email address.", "Confirm email", link, "The link works for 24 hours. If you did not sign up, ignore this email."),
  passwordReset: (to: string, link: string) =>
    withLink(to, "Reset your Kiln password", "Someone asked to reset the password of your Kiln account.", "Choose a new password", link, "The link works for 1 hour and once. If it was not you, ignore this email: your password stays as it is."),
  magicLink: (to: string, link: string) =>
    withLink(to, "Your Kiln sign-in link", "Here is your link to sign in to Kiln.", "Sign in", link, "The link works for 15 minutes and once. If you did not ask for it, ignore this email."),
  invitation: (to: string, orgName: string, inviter: string, link: string) =>
    withLink(to, `${inviter} invited you to ${orgName} on Kiln`, `${inviter} invited you to join the organization "${orgName}" on Kiln.`, "Accept the invitation", link, "The invitation works for 7 days."),
};

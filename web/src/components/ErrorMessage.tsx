import { Link, useSearchParams } from "react-router";
import type { ApiError } from "../api/client";
import { safeRedirect, withRedirect } from "../session/redirect";
import { formatWait, useRetryWait } from "./use-retry-wait";

/**
 * An API error said so a person can act on it: the API's sentence, and for a rate limit or a
 * lockout a live countdown from Retry-After (and the way out of a lockout).
 */
export function ErrorMessage({ error, id }: { error: ApiError | null | undefined; id?: string }) {
  const wait = useRetryWait(error);
  const [params] = useSearchParams();
  if (!error) return null;
  const when = wait > 0 ? `You can try again in ${formatWait(wait)}.` : "You can try again now.";
  let text = error.message;
  if (error.status === 429 && error.retryAfter !== null) {
    text = error.code === "account_locked" ? "Too many failed attempts: this account is locked for now." : "Too many attempts for now.";
  }
  return (
    <div className="alert error" role="alert" id={id}>
      <p>{text}</p>
      {error.status === 429 && error.retryAfter !== null && (
        <p className="alert-detail" data-testid="retry-wait">
          {when}
        </p>
      )}
      {error.code === "account_locked" && (
        <p className="alert-detail">
          <Link to={withRedirect("/forgot-password", safeRedirect(params.get("redirect")))}>Reset your password</Link> to unlock it now.
        </p>
      )}
    </div>
  );
}

/**
 * The org settings' card for its address, `/orgs/{slug}`: an admin changes the slug, seeing
 * the new address and what is wrong with it as they type, and the page moves to it in place. The old address keeps
 * leading here: the API keeps every slug an org had for that org alone.
 */
import { useState, type FormEvent } from "react";
import { slugProblem } from "../../../../protocol/org-slugs";
import { changeOrgSlug } from "../../api/orgs";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useAction } from "../../components/use-action";
import { orgPath } from "../org-path";
import { useOrg } from "./OrgLayout";

export function OrgAddress() {
  const { org, setOrg } = useOrg();
  const [slug, setSlug] = useState(org.slug);
  // The slug the org had before the last save, to say that its links still lead here.
  const [left, setLeft] = useState<string | null>(null);
  const { run, pending, error } = useAction();
  const wanted = slug.trim();
  const unchanged = wanted === org.slug;
  // The API's own rules, said as the person types (whether another org has it, only the API knows).
  const problem = wanted === "" || unchanged ? null : slugProblem(wanted);
  const sendable = !unchanged && wanted !== "" && problem === null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Enter in the field submits too: what the rules refuse (shown already) is not sent.
    if (!sendable) return;
    const before = org.slug;
    setLeft(null);
    const outcome = await run(() => changeOrgSlug(org.id, wanted));
    if (!outcome.ok) return;
    setOrg(outcome.value);
    setSlug(outcome.value.slug);
    setLeft(before === outcome.value.slug ? null : before);
  };
  return (
    <section className="card" aria-labelledby="org-address-title">
      <h2 id="org-address-title">Address</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field
          label="Organization address"
          name="org-slug"
          required
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={slug}
          onChange={(e) => {
            setSlug(e.target.value);
            setLeft(null);
          }}
          error={problem ?? error?.field("slug")}
          hint="Lowercase letters, digits and single hyphens. Links to an old address keep leading here."
        />
        <p className="hint" data-testid="org-address-preview">
          {unchanged ? "Its page is at " : "Its page will be at "}
          <code>
            {window.location.host}
            {orgPath({ slug: wanted || "…" })}
          </code>
        </p>
        {!error?.field("slug") && <ErrorMessage error={error} />}
        {left && (
          <p className="alert ok" role="status">
            Saved. The address is now <strong>{orgPath(org)}</strong>; links to {orgPath({ slug: left })} still lead here.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={pending || !sendable}>
            {pending ? "Saving…" : "Save address"}
          </button>
        </div>
      </form>
    </section>
  );
}

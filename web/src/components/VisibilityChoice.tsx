import type { Visibility } from "../api/types";

/** Who sees a project: everyone in the organization, or its members only. */
export function VisibilityChoice({ value, onChange, hint }: { value: Visibility; onChange: (value: Visibility) => void; hint: string }) {
  return (
    <fieldset className="choices">
      <legend>Who sees it</legend>
      <label>
        <input type="radio" name="visibility" value="org" checked={value === "org"} onChange={() => onChange("org")} /> Everyone in the organization
      </label>
      <label>
        <input type="radio" name="visibility" value="members" checked={value === "members"} onChange={() => onChange("members")} /> Only the project's members
      </label>
      <p className="hint">{hint}</p>
    </fieldset>
  );
}

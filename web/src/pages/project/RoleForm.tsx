import { useState, type FormEvent } from "react";
import type { RoleRecord } from "../../../../gateway-do/src/modules/roles";
import { Field } from "../../components/Field";
import { isPermission, permissionGroups, permissionLabel } from "./permissions";

interface RoleFormProps {
  /** The role being edited, or null for a new one. */
  role: RoleRecord | null;
  takenNames: readonly string[];
  onSubmit: (value: { name: string; permissions: string[] }) => Promise<boolean>;
  onCancel: () => void;
}

const declared = new Set(permissionGroups.flatMap((g) => g.permissions));

/** Creates or edits a custom role: a name and permissions picked from what the modules declare, plus any other permission string. */
export function RoleForm({ role, takenNames, onSubmit, onCancel }: RoleFormProps) {
  const [name, setName] = useState(role?.name ?? "");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set(role?.permissions ?? []));
  const [extra, setExtra] = useState((role?.permissions ?? []).filter((p) => !declared.has(p)).join("\n"));
  const [pending, setPending] = useState(false);
  const [advancedOpen] = useState(extra !== "");

  const extras = extra
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const badExtra = extras.find((p) => !isPermission(p));
  const nameTaken = takenNames.includes(name.trim());
  const toggle = (permission: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(permission);
    else next.delete(permission);
    setChosen(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    const ok = await onSubmit({ name: name.trim(), permissions: [...new Set([...chosen, ...extras])] });
    setPending(false);
    if (ok && !role) {
      setName("");
      setChosen(new Set());
      setExtra("");
    }
  };
  return (
    <section className="card side role-form" aria-labelledby="role-form-title">
      <h2 id="role-form-title">{role ? `Edit ${role.name}` : "New custom role"}</h2>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Role name" name="role-name" required maxLength={60} placeholder="Reviewer" value={name} onChange={(e) => setName(e.target.value)} error={nameTaken ? `A role named “${name.trim()}” exists.` : undefined} />
        {permissionGroups.map((group) => (
          <fieldset key={group.module} className="choices">
            <legend>{group.title}</legend>
            {group.permissions.map((permission) => (
              <label key={permission} title={permission}>
                <input type="checkbox" checked={chosen.has(permission)} onChange={(e) => toggle(permission, e.target.checked)} /> {permissionLabel(permission)}
              </label>
            ))}
          </fieldset>
        ))}
        {/* Raw permission strings are for what no module names (a future module's, one node's id): out of the way unless the role has some. */}
        <details className="role-extra" open={advancedOpen || undefined}>
          <summary>Advanced: permissions by their code</summary>
          <div className="field">
            <label htmlFor="role-extra">Other permissions</label>
            <textarea
              id="role-extra"
              rows={2}
              value={extra}
              spellCheck={false}
              placeholder="module:[type:id]:action"
              aria-invalid={badExtra ? true : undefined}
              aria-describedby="role-extra-help"
              onChange={(e) => setExtra(e.target.value)}
            />
            <p className={badExtra ? "field-error" : "hint"} id="role-extra-help">
              {badExtra ? `“${badExtra}” is not a permission: use module:[type:id]:action, * for any part.` : "One per line, as module:[type:id]:action; * matches any one part."}
            </p>
          </div>
        </details>
        <div className="actions">
          <button type="submit" className="button primary" disabled={pending || !name.trim() || nameTaken || Boolean(badExtra)}>
            {pending ? "Saving…" : role ? "Save role" : "Create role"}
          </button>
          {role && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

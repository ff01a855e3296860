import { useState, type FormEvent } from "react";
import { createApiKey, listApiKeys, revokeApiKey } from "../../api/account";
import { apiKeyScopes, type ApiKey, type ApiKeyScope } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { formatDate, formatRelative } from "../../components/format";
import { PageMessage } from "../../components/PageMessage";
import { useAction } from "../../components/use-action";
import { useResource } from "../../components/use-resource";

const EXPIRY_DAYS = [30, 90, 365];

function status(key: ApiKey): string {
  if (key.revokedAt) return `revoked ${formatDate(key.revokedAt)}`;
  if (key.expiresAt && new Date(key.expiresAt) < new Date()) return `expired ${formatDate(key.expiresAt)}`;
  const used = key.lastUsedAt ? `used ${formatRelative(key.lastUsedAt)}` : "never used";
  return `${used} · expires ${key.expiresAt ? formatDate(key.expiresAt) : "never"}`;
}

/** Keys for scripts: create (shown once), list, revoke. */
export function ApiKeysSection() {
  const { resource, set } = useResource(() => listApiKeys().then((r) => r.apiKeys), []);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const action = useAction();
  const revoke = (key: ApiKey) =>
    void action.run(async () => {
      await revokeApiKey(key.id);
      set((list) => list.map((k) => (k.id === key.id ? { ...k, revokedAt: new Date().toISOString() } : k)));
    });

  return (
    <section className="card" aria-labelledby="keys-title" aria-busy={resource.status === "loading"}>
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        For scripts and tools: send <code>Authorization: Bearer kiln_…</code>. A key can do only what its scopes allow, and never manage your account.
      </p>
      {created && (
        <div className="alert ok new-key" role="status">
          <p>
            Your key <strong>{created.name}</strong> — copy it now, it is not shown again:
          </p>
          <p className="secret">
            <code data-testid="new-api-key">{created.key}</code> <CopyButton text={created.key} />
          </p>
          <button type="button" className="link-button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <ErrorMessage error={action.error} />
      {resource.status === "loading" && <PageMessage busy title="Loading keys…" />}
      {resource.status === "error" && <ErrorMessage error={resource.error} />}
      {resource.status === "ready" && resource.data.length > 0 && (
        <ul className="rows" aria-label="API keys">
          {resource.data.map((key) => (
            <li key={key.id} className={`row ${key.revokedAt ? "dimmed" : ""}`}>
              <div className="row-main">
                <span>
                  <span className="row-title">
                    {key.name} <code className="code-tag">{key.prefix}…</code>
                  </span>
                  <span className="row-meta">
                    {key.scopes.join(", ")} · {status(key)}
                  </span>
                </span>
              </div>
              <div className="row-actions">
                {!key.revokedAt && <ConfirmButton label="Revoke" accessibleLabel={`Revoke ${key.name}`} question={`Revoke “${key.name}”? Scripts using it stop working.`} onConfirm={() => revoke(key)} />}
              </div>
            </li>
          ))}
        </ul>
      )}
      <CreateKeyForm
        onCreated={(apiKey, key) => {
          set((list) => [apiKey, ...list]);
          setCreated({ name: apiKey.name, key });
        }}
      />
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (apiKey: ApiKey, key: string) => void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["orgs:read", "projects:read"]);
  const [days, setDays] = useState(90);
  const { run, pending, error } = useAction();
  const toggle = (scope: ApiKeyScope) => setScopes((s) => (s.includes(scope) ? s.filter((x) => x !== scope) : [...s, scope]));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await run(() => createApiKey({ name: name.trim(), scopes, expiresInDays: days }));
    if (!outcome.ok) return;
    onCreated(outcome.value.apiKey, outcome.value.key);
    setName("");
  };
  return (
    <details className="create-key">
      <summary>Create a key</summary>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <Field label="Name" name="key-name" required maxLength={100} placeholder="CI deploys" value={name} onChange={(e) => setName(e.target.value)} error={error?.field("name")} />
        <fieldset className="choices scopes">
          <legend>Scopes</legend>
          {apiKeyScopes.map((scope) => (
            <label key={scope}>
              <input type="checkbox" checked={scopes.includes(scope)} onChange={() => toggle(scope)} /> <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        {error?.field("scopes") && <p className="field-error">{error.field("scopes")}</p>}
        <div className="field">
          <label htmlFor="key-expiry">Expires after</label>
          <select id="key-expiry" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {d} days
              </option>
            ))}
          </select>
        </div>
        {!error?.field("name") && !error?.field("scopes") && <ErrorMessage error={error} />}
        <button type="submit" className="button primary" disabled={pending || !name.trim()}>
          {pending ? "Creating…" : "Create key"}
        </button>
      </form>
    </details>
  );
}

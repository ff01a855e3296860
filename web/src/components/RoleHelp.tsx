/** What each role may do, as a definition list (members pages' side cards and hints). */
export function RoleHelp<R extends string>({ roles, help }: { roles: readonly R[]; help: Record<R, string> }) {
  return (
    <dl className="role-help">
      {roles.map((r) => (
        <div key={r}>
          <dt>{r}</dt>
          <dd>{help[r]}</dd>
        </div>
      ))}
    </dl>
  );
}

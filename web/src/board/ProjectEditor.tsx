/** Placeholder: the whiteboard editor replaces this file (web/src/board/ is its folder). */
export function ProjectEditor({ orgId, projectId }: { orgId: string; projectId: string }) {
  return (
    <section className="board-placeholder" data-org={orgId} data-project={projectId}>
      Board
    </section>
  );
}

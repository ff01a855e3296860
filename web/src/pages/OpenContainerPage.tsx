/**
 * `/containers/open?host=&path=`: where a visitor lands after signing in on their way to a
 * container's service. The worker does the rest (access check, ticket, back to the host), so
 * this page only hands the browser over to it, as a full navigation.
 */
import { useEffect } from "react";
import { useLocation } from "react-router";

export function OpenContainerPage() {
  const { search } = useLocation();
  useEffect(() => {
    window.location.replace(`/api/containers/open${search}`);
  }, [search]);
  return (
    <main className="page">
      <p>Opening the container…</p>
    </main>
  );
}

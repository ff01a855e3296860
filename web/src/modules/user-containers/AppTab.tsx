/**
 * A container's service shown inside Kiln, as a tab (the tabs module's kind "app", target
 * `{container}/{service}`): a frame on the service's host, with its state and a way out to a
 * browser tab. Ready for the tab bar to show tabs that are not views (see the module README
 * note in index.ts); the gateway already accepts `tabs:open {kind: "app"}`.
 */
import type { TabRecord } from "../../../../gateway-do/src/modules/tabs";
import { ContainerIdSchema, type ContainerRecord, type Service, ServiceNameSchema } from "../../../../protocol/containers";
import { useBoardStore } from "../../board/store-context";
import type { GatewayEvent } from "../../gateway/messages";
import { useGrants } from "./access";
import { serviceAddress, useCatalog } from "./catalog";
import { mayOpen, mayTypeInTerminal, notShared } from "./permissions";
import { useContainer } from "./records";
import { StatePill } from "./StatePill";

/** The tab kind of a container app (the gateway's TabRecord kind). */
export const APP_TAB_KIND = "app" satisfies TabRecord["kind"];

/** An app tab's target: `{container}/{service}`. */
export const appTabTarget = (container: string, service: string) => `${container}/${service}`;

/** The container and service an app tab's target names, or null when it names none. */
export function parseAppTabTarget(target: string): { container: string; service: string } | null {
  const [container, service, ...rest] = target.split("/");
  if (rest.length > 0 || !ContainerIdSchema.safeParse(container).success || !ServiceNameSchema.safeParse(service).success) return null;
  return { container: container!, service: service! };
}

/** The event opening a service as this person's tab. */
export const openAppTabEvent = (container: ContainerRecord, service: Service): GatewayEvent => ({
  type: "tabs:open",
  kind: APP_TAB_KIND,
  target: appTabTarget(container.id, service.name),
  title: `${container.name} · ${service.name}`,
});

export function AppTab({ target }: { target: string }) {
  const store = useBoardStore();
  const named = parseAppTabTarget(target);
  const container = useContainer(named?.container ?? "");
  const grants = useGrants();
  const catalog = useCatalog();
  const service = container?.services.find((s) => s.name === named?.service);
  const address =
    container && service
      ? serviceAddress({ container, service, org: store.place?.org, catalog, mayOpen: mayOpen(container, store.me.userId, grants), notShared: notShared(container), mayType: mayTypeInTerminal(container, store.me.userId, grants) })
      : null;
  const url = address?.url ?? null;
  const why = !container
    ? "This container is gone."
    : !service
      ? `${container.name} does not serve ${named?.service ?? "this"} (any more).`
      : container.state !== "running"
        ? "It shows here again once the container is running."
        : (address?.why ?? null);
  return (
    <section className="uc-app" aria-label={container && service ? `${container.name} · ${service.name}` : "Container app"}>
      <header className="uc-app-bar">
        {container && <StatePill state={container.state} since={container.since} />}
        <code className="uc-app-url">{url ?? target}</code>
        {url && why === null && (
          <a className="uc-open" href={url} target="_blank" rel="noopener" title="If the app refuses to show inside Kiln, open it in its own tab">
            Open in a new tab ↗
          </a>
        )}
      </header>
      {why === null && url ? (
        <iframe className="uc-app-frame" src={url} title={`${container!.name} · ${service!.name}`} allow="clipboard-read; clipboard-write; fullscreen" />
      ) : (
        <p className="uc-app-empty">{why}</p>
      )}
    </section>
  );
}

/**
 * A container's services, each with Open (a new browser tab at its host) and Tab (a tab of the
 * project showing it beside the board) while the container runs; the terminal service's is
 * "Terminal": the agent serves the shared terminal's page there.
 */
import type { ContainerRecord, Service } from "../../../../protocol/containers";
import { TERMINAL_SERVICE } from "../../../../protocol/terminal";
import { useBoardStore } from "../../board/store-context";
import { openAppTabEvent } from "./AppTab";
import { useGrants } from "./access";
import { serviceAddress, useCatalog } from "./catalog";
import { mayOpen, mayTypeInTerminal, notShared } from "./permissions";

export function ServiceList({ container }: { container: ContainerRecord }) {
  if (container.services.length === 0)
    return <p className="uc-hint uc-services-none">{container.state === "running" ? "No services reported yet." : "Its services show here once it runs."}</p>;
  // Not started yet: the launch command matters more than rows of Open that cannot work.
  if (container.state === "created")
    return <p className="uc-hint uc-services-later">Serves {container.services.map((s) => `${s.name} :${s.port}`).join(", ")} once it runs.</p>;
  return (
    <ul className="uc-services" aria-label="Services">
      {container.services.map((s) => (
        <ServiceRow key={s.name} container={container} service={s} />
      ))}
    </ul>
  );
}

function ServiceRow({ container, service }: { container: ContainerRecord; service: Service }) {
  const store = useBoardStore();
  const grants = useGrants();
  const catalog = useCatalog();
  const { url: href, why } = serviceAddress({
    container,
    service,
    org: store.place?.org,
    catalog,
    mayOpen: mayOpen(container, store.me.userId, grants),
    notShared: notShared(container),
    mayType: mayTypeInTerminal(container, store.me.userId, grants),
  });
  const terminal = service.name === TERMINAL_SERVICE.name && service.protocol === "http";
  const label = terminal ? "Terminal ↗" : "Open ↗";
  const title = !href ? undefined : terminal ? `The shared terminal, in a new tab: ${mayTypeInTerminal(container, store.me.userId, grants) ? "you may type" : "you watch (ask its owner to type)"}` : `Open ${href} in a new tab`;
  return (
    <li className="uc-service">
      <span className="uc-service-name">{service.name}</span>
      <span className="uc-port">
        {service.protocol === "tcp" ? "tcp " : ":"}
        {service.port}
      </span>
      {href ? (
        <>
          <button
            type="button"
            className="uc-open uc-open-tab"
            title={`Open ${service.name} in a tab of this project, beside the board`}
            onClick={() => void store.run({ events: [openAppTabEvent(container, service)] })}
          >
            Tab
          </button>
          <a className="uc-open" href={href} target="_blank" rel="noopener" title={title}>
            {label}
          </a>
        </>
      ) : (
        <span className="uc-open is-disabled" aria-disabled="true" title={why ?? undefined}>
          {label}
        </span>
      )}
    </li>
  );
}

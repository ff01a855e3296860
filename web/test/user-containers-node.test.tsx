/** The container node: its state live from the doc, its metrics, services, launch command and actions. */
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CONTAINER_STATES, type ContainerState } from "../../protocol/containers";
import { containersOf } from "../../gateway-do/src/modules/user-containers/records";
import { setAccess } from "../src/modules/user-containers/access";
import { forgetCatalog } from "../src/modules/user-containers/api";
import { forgetSeenCatalog } from "../src/modules/user-containers/catalog";
import { forgetLaunchCommands, rememberLaunchCommand } from "../src/modules/user-containers/launch-commands";
import { stubApi } from "./api-stub";
import { CATALOG_BODY, ORG, boardWith, record, renderNode } from "./user-containers-fixtures";

const COMMAND = "docker run -d --name kiln-abc123def456 --restart unless-stopped --cap-add=NET_ADMIN --device /dev/net/tun -e KILN_CONTAINER=abc123def456 -e KILN_TOKEN=kct.x -e KILN_BRIDGE=https://bridge.test localhost/kiln-jupyter:1";
const ROLES = { [`GET /api/orgs/${ORG}`]: { status: 404, body: { error: { code: "not_found", message: "no" } } } };

beforeEach(() => {
  forgetCatalog();
  forgetSeenCatalog();
  forgetLaunchCommands();
  stubApi({ "GET /api/containers/catalog": { body: CATALOG_BODY }, ...ROLES });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const pill = () => screen.getByTestId("container-state");

describe("the container node", () => {
  const words: Record<ContainerState, string> = {
    created: "waiting to start · 3 min",
    connecting: "connecting · 3 min",
    running: "running · 3 min",
    unreachable: "unreachable · 3 min",
    stopped: "stopped · 3 min",
    deleted: "deleted · 3 min",
  };
  it.each(CONTAINER_STATES)("shows the state %s as its coloured pill, with how long it has been so", (state) => {
    const { store } = boardWith([record({ state })]);
    renderNode(store);
    expect(pill().className).toContain(`uc-state-${state}`);
    expect(pill().textContent).toBe(words[state]);
    expect(screen.getByText("Training box")).toBeTruthy();
    expect(screen.getByText("localhost/kiln-jupyter:1")).toBeTruthy();
  });

  it("follows the doc live: a state change, new metrics", () => {
    const { store, doc } = boardWith([record({ state: "connecting", metrics: null })]);
    renderNode(store);
    expect(pill().className).toContain("uc-state-connecting");
    expect(screen.queryByLabelText("Metrics")).toBeNull();
    act(() => containersOf(doc).set("abc123def456", record({ state: "running", since: Date.now() })));
    expect(pill().className).toContain("uc-state-running");
    expect(pill().textContent).toBe("running · just now");
    const metrics = screen.getByLabelText("Metrics");
    expect(metrics.textContent).toContain("37%");
    expect(metrics.textContent).toContain("3.2 / 16 GB");
    expect(metrics.textContent).toContain("41 / 200 GB");
    expect(metrics.textContent).not.toContain("GPU");
  });

  it("shows GPUs when there are, and a container's last metrics dimmed once unreachable, none once stopped", () => {
    const gpus = [{ name: "NVIDIA L4", utilPercent: 81, memoryUsed: 12 * 2 ** 30, memoryTotal: 24 * 2 ** 30 }];
    const { store } = boardWith([record({ state: "unreachable", metrics: { ...record().metrics!, gpus } })]);
    renderNode(store);
    const metrics = screen.getByLabelText("Last metrics reported");
    expect(metrics.className).toContain("is-stale");
    expect(metrics.textContent).toContain("GPU 81% · 12 / 24 GB");
    cleanup();
    renderNode(boardWith([record({ state: "stopped" })]).store);
    expect(screen.queryByRole("list", { name: /metrics/i })).toBeNull();
    expect(pill().className).toContain("uc-state-stopped");
  });

  it("skips a record that is not a container (never cast): the node says only Container", () => {
    const { store, doc } = boardWith([]);
    containersOf(doc).set("abc123def456", { ...record(), state: "exploded" } as never);
    renderNode(store);
    expect(screen.queryByTestId("container-state")).toBeNull();
    expect(screen.getByText("Container")).toBeTruthy();
  });
});

describe("its launch command", () => {
  it("is shown with Copy while created and known to this browser, and Copy says Copied", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    rememberLaunchCommand("abc123def456", COMMAND);
    const { store } = boardWith([record({ state: "created", metrics: null })]);
    renderNode(store);
    expect(screen.getByLabelText("Launch command", { selector: "pre" }).textContent).toBe(COMMAND);
    fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Copied ✓" })).toBeTruthy());
    expect(writeText).toHaveBeenCalledWith(COMMAND);
  });

  it("is not shown once it runs, even when known", () => {
    rememberLaunchCommand("abc123def456", COMMAND);
    const { store } = boardWith([record({ state: "running" })]);
    renderNode(store);
    expect(screen.queryByRole("button", { name: "Copy" })).toBeNull();
    expect(screen.queryByText(COMMAND)).toBeNull();
  });

  it("when not known here, is asked anew (warning that the old one stops working), and an API error is shown", async () => {
    let answer: { status: number; body: unknown } = { status: 409, body: { error: { code: "illegal_transition", message: "A deleted container cannot be launched." } } };
    const calls = stubApi({ "GET /api/containers/catalog": { body: CATALOG_BODY }, ...ROLES, [`POST /api/orgs/${ORG}/containers/abc123def456/launch`]: () => answer });
    const { store } = boardWith([record({ state: "created", metrics: null })]);
    renderNode(store);
    expect(screen.queryByRole("button", { name: "Copy" })).toBeNull();
    expect(screen.getByText("The old command then stops working.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "New launch command" }).getAttribute("title")).toContain("can no longer join");
    fireEvent.click(screen.getByRole("button", { name: "New launch command" }));
    expect((await screen.findByRole("alert")).textContent).toBe("A deleted container cannot be launched.");

    answer = { status: 200, body: { token: "kct.y", command: COMMAND } };
    fireEvent.click(screen.getByRole("button", { name: "New launch command" }));
    await waitFor(() => expect(screen.getByLabelText("Launch command", { selector: "pre" }).textContent).toBe(COMMAND));
    expect(screen.getByRole("button", { name: "Copy" })).toBeTruthy();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual([`/api/orgs/${ORG}/containers/abc123def456/launch`, `/api/orgs/${ORG}/containers/abc123def456/launch`]);
  });

  it("tells how to start a stopped container again on its machine: docker restart, not a second docker run", () => {
    rememberLaunchCommand("abc123def456", COMMAND);
    const { store } = boardWith([record({ state: "stopped" })]);
    renderNode(store);
    expect(screen.getByText("Stopped. To start it again, on its machine run:")).toBeTruthy();
    expect(screen.getByText("docker restart kiln-abc123def456")).toBeTruthy();
    expect(screen.queryByText(COMMAND)).toBeNull();
    expect(screen.getByRole("button", { name: "Copy" })).toBeTruthy();
  });

  it("says when the gateway stopped it for idleness, and how to start it again", () => {
    const { store } = boardWith([record({ state: "stopped", stoppedIdle: { minutes: 30 } })]);
    renderNode(store);
    expect(screen.getByTestId("container-stopped-why").textContent).toBe("Stopped for idleness: nobody used it for 30 min (the organization's setting). To start it again, on its machine run:");
    expect(screen.getByText("docker restart kiln-abc123def456")).toBeTruthy();
  });
});

describe("its services", () => {
  it("open in a new tab at the container's host while it runs", async () => {
    const { store } = boardWith([record({ services: [{ name: "jupyter", port: 8888, protocol: "http" }, { name: "db", port: 5432, protocol: "tcp" }] })]);
    renderNode(store);
    const link = await screen.findByRole("link", { name: "Open ↗" });
    expect(link.getAttribute("href")).toBe(`https://uc-abc123def456--jupyter.org-${ORG}.containers.test/`);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toBe("noopener");
    // A TCP service has no web address: its Open is disabled and says where it is.
    const rows = within(screen.getByLabelText("Services")).getAllByRole("listitem");
    expect(rows[1]!.querySelector("a")).toBeNull();
    expect(rows[1]!.querySelector(".uc-open")!.getAttribute("title")).toContain("172.16.0.10:5432");
  });

  it("opens a terminal service as Terminal, in a new tab at its host, saying whether you type or watch", async () => {
    const { store } = boardWith([record({ owner: "bob", services: [{ name: "terminal", port: 7681, protocol: "http" }] })]);
    setAccess(store, { orgRole: "member", projectRole: "member", visibility: "members" });
    renderNode(store);
    const link = await screen.findByRole("link", { name: "Terminal ↗" });
    expect(link.getAttribute("href")).toBe(`https://uc-abc123def456--terminal.org-${ORG}.containers.test/`);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("title")).toContain("you watch");
  });

  it("cannot be opened unless it runs", async () => {
    const { store } = boardWith([record({ state: "unreachable" })]);
    renderNode(store);
    await act(async () => {});
    const open = within(screen.getByLabelText("Services")).getByText("Open ↗");
    expect(open.tagName).not.toBe("A");
    expect(open.getAttribute("aria-disabled")).toBe("true");
    expect(open.getAttribute("title")).toBe("It opens once the container is running.");
  });

  it("a service that runs its visitors' code opens for those who may type in the container, not for other members", async () => {
    const jupyter = { name: "jupyter", port: 8888, protocol: "http" as const, runsCode: true as const };
    const { store } = boardWith([record({ owner: "bob", share: "project", services: [jupyter] })]);
    setAccess(store, { orgRole: "member", projectRole: "member", visibility: "members" });
    renderNode(store);
    await act(async () => {});
    const open = within(screen.getByLabelText("Services")).getByText("Open ↗");
    expect(open.tagName).not.toBe("A");
    expect(open.getAttribute("title")).toContain("runs the code its visitors send");
    cleanup();
    // Its owner opens it.
    const mine = boardWith([record({ services: [jupyter] })]);
    renderNode(mine.store);
    expect((await screen.findByRole("link", { name: "Open ↗" })).getAttribute("href")).toContain("--jupyter.");
  });

  it("shared with its owner only, cannot be opened by another project member", async () => {
    const { store } = boardWith([record({ owner: "bob", share: "owner" })]);
    setAccess(store, { orgRole: "member", projectRole: "member", visibility: "members" });
    renderNode(store);
    await act(async () => {});
    const open = within(screen.getByLabelText("Services")).getByText("Open ↗");
    expect(open.tagName).not.toBe("A");
    expect(open.getAttribute("title")).toContain("Only its owner may open it");
  });
});

describe("its actions", () => {
  const menu = () => {
    fireEvent.click(screen.getByRole("button", { name: "Container actions" }));
    return screen.getByRole("menu", { name: "Container actions" });
  };

  it("stop, restart and share send their events", () => {
    const { store, sent } = boardWith([record()]);
    renderNode(store);
    fireEvent.click(within(menu()).getByRole("menuitem", { name: "Stop" }));
    fireEvent.click(within(menu()).getByRole("menuitem", { name: "Restart services" }));
    fireEvent.change(within(menu()).getByLabelText("Who may open it"), { target: { value: "org" } });
    expect(sent).toEqual([
      { type: "user-containers:stop", container: "abc123def456" },
      { type: "user-containers:restart", container: "abc123def456" },
      { type: "user-containers:share", container: "abc123def456", share: "org" },
    ]);
  });

  it("delete asks first, saying it cannot be undone", () => {
    const { store, sent } = boardWith([record()]);
    renderNode(store);
    fireEvent.click(within(menu()).getByRole("menuitem", { name: "Delete…" }));
    const confirm = screen.getByRole("alertdialog", { name: "Delete container" });
    expect(confirm.textContent).toContain("This cannot be undone.");
    expect(sent).toEqual([]);
    fireEvent.click(within(confirm).getByRole("button", { name: "Delete" }));
    expect(sent).toEqual([{ type: "user-containers:delete", container: "abc123def456" }]);
  });

  it("are disabled, saying why, for someone whose roles do not allow them", () => {
    const { store } = boardWith([record()]);
    // An org member on a project they have no role in and that the org does not see: no grants.
    setAccess(store, { orgRole: "member", projectRole: null, visibility: "members" });
    renderNode(store);
    const m = menu();
    const stop = within(m).getByRole("menuitem", { name: "Stop" });
    expect(stop.hasAttribute("disabled")).toBe(true);
    expect(stop.getAttribute("title")).toBe("Your roles in this project do not let you stop this container.");
    expect(within(m).getByRole("menuitem", { name: "Delete…" }).hasAttribute("disabled")).toBe(true);
    expect((within(m).getByLabelText("Who may open it") as HTMLSelectElement).disabled).toBe(true);
  });

  it("are enabled for a project member, and by state: a created container cannot be stopped", () => {
    const { store } = boardWith([record({ state: "created", metrics: null })]);
    setAccess(store, { orgRole: "member", projectRole: "member", visibility: "members" });
    renderNode(store);
    const m = menu();
    expect(within(m).getByRole("menuitem", { name: "Stop" }).getAttribute("title")).toBe("Only a started container can be stopped.");
    expect(within(m).getByRole("menuitem", { name: "Delete…" }).hasAttribute("disabled")).toBe(false);
    expect(within(m).getByRole("menuitem", { name: "New launch command" }).hasAttribute("disabled")).toBe(false);
  });
});

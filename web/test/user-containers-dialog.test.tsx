/** The create dialog: searching the catalog (by name and tag, with the keyboard), a custom image's services, the API's answer and errors. */
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CreateContainerOverlay } from "../src/modules/user-containers/CreateContainerDialog";
import { forgetCatalog } from "../src/modules/user-containers/api";
import { forgetSeenCatalog } from "../src/modules/user-containers/catalog";

import { searchImages, parseServices } from "../src/modules/user-containers/image-search";
import { forgetLaunchCommands, launchCommandOf } from "../src/modules/user-containers/launch-commands";
import { boardOverlays, createTools } from "../src/modules/registry";
import { userContainers } from "../src/modules/user-containers";
import { type Call, stubApi } from "./api-stub";
import { CATALOG, CATALOG_BODY, ORG, PROJECT, boardWith, inBoard, record } from "./user-containers-fixtures";

const CREATE = `POST /api/orgs/${ORG}/projects/${PROJECT}/containers`;
const COMMAND = "docker run -d --name kiln-abc123def456 --cap-add=NET_ADMIN --device /dev/net/tun localhost/kiln-grafana:1";

let calls: Call[];
beforeEach(() => {
  forgetCatalog();
  forgetSeenCatalog();
  forgetLaunchCommands();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The dialog opened by the Container tool at (120, 80) on the main view, the API answering create with `created`. */
async function openDialog(created: Parameters<typeof stubApi>[0][string]) {
  calls = stubApi({ "GET /api/containers/catalog": { body: CATALOG_BODY }, [CREATE]: created });
  const { store } = boardWith([]);
  inBoard(store, <CreateContainerOverlay />);
  expect(screen.queryByRole("dialog")).toBeNull();
  const tool = userContainers.tools.find((t) => t.menuLabel === "New container here")!;
  await act(() => tool.run(store, "main", { x: 120.4, y: 80 }));
  const dialog = screen.getByRole("dialog", { name: "New container" });
  // The catalog has come.
  await waitFor(() => expect(calls.some((c) => c.path === "/api/containers/catalog")).toBe(true));
  await act(async () => {});
  return { dialog, image: within(dialog).getByLabelText("Image"), store };
}

/** The suggestions shown (the image names), and the active one. */
const options = () => within(screen.getByRole("listbox", { name: "Images" })).getAllByRole("option").map((o) => o.querySelector("b")!.textContent);
const active = () => within(screen.getByRole("listbox", { name: "Images" })).getByRole("option", { selected: true });

describe("the catalog search", () => {
  it("matches name, tag (key:value or value) and service, best first", () => {
    const names = (q: string) => searchImages(CATALOG, q).map((i) => i.name);
    expect(names("")).toEqual(["Jupyter", "Terminal", "Grafana"]);
    expect(names("graf")).toEqual(["Grafana"]);
    expect(names("lang:py")).toEqual(["Jupyter"]);
    expect(names("debian")).toEqual(["Jupyter", "Terminal"]);
    expect(names("os:debian shell")).toEqual(["Terminal"]);
    expect(names("nothing-like-it")).toEqual([]);
  });

  it("reads declared services, and says which line is wrong", () => {
    expect(parseServices("web:8080\n\n db : 5432/tcp ")).toEqual({ ok: true, services: [{ name: "web", port: 8080, protocol: "http" }, { name: "db", port: 5432, protocol: "tcp" }] });
    expect(parseServices("web:8080\nweb 80")).toEqual({ ok: false, message: "Line 2: write a service as name:port, e.g. web:8080 (or name:port/tcp)." });
    expect(parseServices("Web:80").ok).toBe(false);
    expect(parseServices("web:70000").ok).toBe(false);
  });
});

describe("the create dialog", () => {
  it("filters the images as one types (by tag, by name) and picks one with the keyboard", async () => {
    const { image, dialog } = await openDialog({ status: 201, body: {} });
    fireEvent.focus(image);
    expect(options()).toEqual(["Jupyter", "Terminal", "Grafana"]);
    fireEvent.change(image, { target: { value: "os:debian" } });
    expect(options()).toEqual(["Jupyter", "Terminal"]);
    fireEvent.change(image, { target: { value: "graf" } });
    expect(options()).toEqual(["Grafana"]);
    fireEvent.change(image, { target: { value: "debian" } });
    // Typing makes the first one active; ↓ moves to the next, ↑ back, ↓ again.
    expect(active().textContent).toContain("Jupyter");
    fireEvent.keyDown(image, { key: "ArrowDown" });
    fireEvent.keyDown(image, { key: "ArrowUp" });
    fireEvent.keyDown(image, { key: "ArrowDown" });
    expect(active().textContent).toContain("Terminal");
    expect(image.getAttribute("aria-activedescendant")).toBe(active().id);
    fireEvent.keyDown(image, { key: "Enter" });
    expect((image as HTMLInputElement).value).toBe("localhost/kiln-terminal:1");
    expect(screen.queryByRole("listbox")).toBeNull();
    // The name was empty: it takes the image's.
    expect((within(dialog).getByLabelText("Name") as HTMLInputElement).value).toBe("Terminal");
    // A catalog image declares its own services: none to type.
    expect(within(dialog).queryByLabelText("Services it serves")).toBeNull();
  });

  it("creates at the point it was opened, then shows the launch command once, with Copy", async () => {
    const created = record({ id: "abc123def456", name: "Dashboards", image: "localhost/kiln-grafana:1", state: "created", metrics: null });
    const { dialog, image } = await openDialog({ status: 201, body: { container: created, token: "kct.z", command: COMMAND } });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "Dashboards" } });
    fireEvent.change(image, { target: { value: "grafana" } });
    fireEvent.keyDown(image, { key: "Enter" });
    fireEvent.change(within(dialog).getByLabelText("Who may open its apps"), { target: { value: "org" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    const done = await screen.findByRole("dialog", { name: "Dashboards is on the board" });
    expect(calls.find((c) => c.method === "POST")).toEqual({
      method: "POST",
      path: `/api/orgs/${ORG}/projects/${PROJECT}/containers`,
      body: { name: "Dashboards", image: "localhost/kiln-grafana:1", share: "org", viewId: "main", x: 120, y: 80 },
    });
    expect(within(done).getByLabelText("Launch command", { selector: "pre" }).textContent).toBe(COMMAND);
    expect(within(done).getByRole("button", { name: "Copy" })).toBeTruthy();
    expect(done.textContent).toContain("It needs --cap-add=NET_ADMIN and --device /dev/net/tun.");
    // The node shows it too, for this page's life.
    expect(launchCommandOf("abc123def456")).toBe(COMMAND);
    fireEvent.click(within(done).getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });

  it("takes any image reference, with the services declared as name:port lines", async () => {
    const { dialog, image } = await openDialog({ status: 201, body: { container: record({ state: "created" }), token: "kct.z", command: COMMAND } });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "My app" } });
    fireEvent.change(image, { target: { value: "ghcr.io/me/app:2" } });
    fireEvent.keyDown(image, { key: "Enter" });
    const services = within(dialog).getByLabelText("Services it serves");
    fireEvent.change(services, { target: { value: "web 8080" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    expect(within(dialog).getByRole("alert").textContent).toBe("Line 1: write a service as name:port, e.g. web:8080 (or name:port/tcp).");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fireEvent.change(services, { target: { value: "web:8080\nmetrics:9100" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    await screen.findByRole("dialog", { name: "Training box is on the board" });
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({
      image: "ghcr.io/me/app:2",
      services: [
        { name: "web", port: 8080, protocol: "http" },
        { name: "metrics", port: 9100, protocol: "http" },
      ],
    });
  });

  it("shows the API's error message and stays open", async () => {
    const { dialog, image } = await openDialog({ status: 503, body: { error: { code: "containers_unavailable", message: "This Kiln has no VPN bridge address configured (BRIDGE_PUBLIC_URL), so containers cannot join." } } });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "Box" } });
    fireEvent.change(image, { target: { value: "jup" } });
    fireEvent.keyDown(image, { key: "Enter" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("This Kiln has no VPN bridge address configured (BRIDGE_PUBLIC_URL), so containers cannot join.");
    expect(screen.getByRole("dialog", { name: "New container" })).toBeTruthy();
  });

  it("shows what the API says of a refused field", async () => {
    const { dialog, image } = await openDialog({
      status: 400,
      body: { error: { code: "invalid_request", message: "Check the highlighted fields.", fields: { image: ["An image reference is lower-case letters, digits and . _ / : @ -."] } } },
    });
    fireEvent.change(within(dialog).getByLabelText("Name"), { target: { value: "Box" } });
    fireEvent.change(image, { target: { value: "Ghcr.io/Me/App" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Create" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("Check the highlighted fields. An image reference is lower-case letters, digits and . _ / : @ -.");
  });

  it("Escape closes the suggestions first, then the dialog", async () => {
    const { image } = await openDialog({ status: 201, body: {} });
    fireEvent.focus(image);
    expect(screen.getByRole("listbox")).toBeTruthy();
    fireEvent.keyDown(image, { key: "Escape" });
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(screen.getByRole("dialog")).toBeTruthy();
    fireEvent.keyDown(image, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

it("is mounted with the editor (the registry's overlays) and offered on the toolbar and the board's menu", () => {
  expect(boardOverlays()).toContain(CreateContainerOverlay);
  expect(createTools().map((t) => t.menuLabel)).toContain("New container here");
});

it("undo of a delete does not bring a container back", () => {
  const { doc } = boardWith([record()]);
  expect(userContainers.nodes.container.restore!.save(doc, "main", "abc123def456")).toBeNull();
});



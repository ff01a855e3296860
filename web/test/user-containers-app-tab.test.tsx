/** A container app tab's renderer (tabs' kind "app", target `{container}/{service}`): the service in a frame while it runs. */
import { act, cleanup, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { forgetCatalog } from "../src/modules/user-containers/api";
import { AppTab, appTabTarget, openAppTabEvent, parseAppTabTarget } from "../src/modules/user-containers/AppTab";
import { forgetSeenCatalog } from "../src/modules/user-containers/catalog";
import { stubApi } from "./api-stub";
import { CATALOG_BODY, ORG, boardWith, inBoard, record } from "./user-containers-fixtures";

beforeEach(() => {
  forgetCatalog();
  forgetSeenCatalog();
  stubApi({ "GET /api/containers/catalog": { body: CATALOG_BODY } });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("an app tab", () => {
  it("names its container and service in its target, and nothing else", () => {
    expect(parseAppTabTarget(appTabTarget("abc123def456", "jupyter"))).toEqual({ container: "abc123def456", service: "jupyter" });
    expect(parseAppTabTarget("abc123def456")).toBeNull();
    expect(parseAppTabTarget("abc123def456/jupyter/x")).toBeNull();
    expect(parseAppTabTarget("ABC/jupyter")).toBeNull();
    expect(openAppTabEvent(record(), record().services[0]!)).toEqual({ type: "tabs:open", kind: "app", target: "abc123def456/jupyter", title: "Training box · jupyter" });
  });

  it("shows the service in a frame at its host while the container runs", async () => {
    const { store } = boardWith([record()]);
    inBoard(store, <AppTab target="abc123def456/jupyter" />);
    const frame = await screen.findByTitle("Training box · jupyter");
    expect(frame.tagName).toBe("IFRAME");
    expect(frame.getAttribute("src")).toBe(`https://uc-abc123def456--jupyter.org-${ORG}.containers.test/`);
  });

  it("says why it shows nothing: not running, a service it does not serve", async () => {
    const { store } = boardWith([record({ state: "stopped" })]);
    inBoard(store, <AppTab target="abc123def456/jupyter" />);
    await act(async () => {});
    expect(screen.queryByTitle("Training box · jupyter")).toBeNull();
    expect(screen.getByText("It shows here again once the container is running.")).toBeTruthy();
    cleanup();
    inBoard(boardWith([record()]).store, <AppTab target="abc123def456/grafana" />);
    await act(async () => {});
    expect(screen.getByText("Training box does not serve grafana (any more).")).toBeTruthy();
  });
});

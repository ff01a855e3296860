/**
 * The org's image quota as a person meets it: the gateway's refusal of an upload (its status and
 * body as the images module answers) becomes a toast on the board that says what is used of what
 * and what to do, and nothing is placed.
 */
import { act, cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { QUOTA_BYTES, quotaRefusal } from "../../gateway-do/src/modules/images/quota";
import { QUOTA_STATUS } from "../../gateway-do/src/modules/images/routes";
import { BoardStore } from "../src/board/store";
import { BoardContext } from "../src/board/store-context";
import { Toasts } from "../src/board/Toasts";
import { addImageFiles } from "../src/modules/images/uploads";
import { fakeConnection, projectDoc } from "./board-fixtures";
import { ORG, PROJECT, me } from "./user-containers-fixtures";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The gateway's sentence for an org 1 KB short of its quota sent a 5 KB image. */
const refusal = quotaRefusal(QUOTA_BYTES - 1024, 5 * 1024)!;

/** An XMLHttpRequest answering every upload as the gateway does past the quota. */
class QuotaGateway {
  static urls: string[] = [];
  status = 0;
  responseText = "";
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(_method: string, url: string) {
    QuotaGateway.urls.push(url);
  }
  setRequestHeader() {}
  send() {
    setTimeout(() => {
      this.status = QUOTA_STATUS;
      this.responseText = JSON.stringify({ error: { code: "quota_exceeded", message: refusal } });
      this.onload?.();
    });
  }
}

it("shows the quota refusal of an upload as a toast a person can read, and places nothing", async () => {
  vi.stubGlobal("XMLHttpRequest", QuotaGateway);
  const { doc } = projectDoc();
  const connection = fakeConnection(doc, async () => ({ requestId: "r", ok: true }));
  const store = new BoardStore(connection, me, { org: ORG, project: PROJECT });
  render(
    <BoardContext.Provider value={store}>
      <Toasts />
    </BoardContext.Provider>,
  );
  const file = new File([new Uint8Array(5 * 1024)], "holiday.png", { type: "image/png" });
  let placed: string[] = [];
  await act(async () => {
    placed = await addImageFiles(store, "main", [file], () => ({ x: 0, y: 0 }));
  });
  expect(QuotaGateway.urls).toEqual([`/gw/${ORG}/m/images/upload?project=${PROJECT}`]);
  expect(screen.getByRole("alert").textContent).toContain(`holiday.png: ${refusal}`);
  expect(refusal).toMatch(/^Your organization's images take 1023\.9 MB of the 1 GB it may store \(1 KB left\), and this one is 5 KB\. Delete images/);
  expect(placed).toEqual([]);
  expect(connection.sent).toEqual([]);
});

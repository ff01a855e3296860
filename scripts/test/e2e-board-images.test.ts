/**
 * Images on the board (issue #18), end to end: `npm start` (its local R2 bucket), Ada and Ben
 * in two Chromium contexts at 1440×900. Ada drops a PNG onto the board and pastes another at
 * her pointer; Ben sees both with their real pixels, also after reloading; an upload shows its
 * progress; a file over 10 MB and an SVG are refused with a message on screen; resizing keeps
 * the ratio; copy and paste, and undo of a delete, bring the same stored picture back; the
 * "Image…" tool opens a file picker. Screenshots go to docs/screenshots/board-images*.png.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { png } from "../../worker/test/image-files";
import { screenshots, twoMembersOnOneProject, useStackAndBrowser } from "./e2e-board-setup";
import { at, box, nodeById, viewport } from "./board-locators";

const run = useStackAndBrowser("board-images");

const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 100 });
const images = (page: Page) => page.locator(".react-flow__node-image");
const imageIds = (page: Page) => images(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-id")!).sort());
/** The picture's natural size once the browser decoded it (0×0 before, or when it failed). */
const pixels = (node: Locator) =>
  node.locator("img").evaluate((img) => ({ width: (img as unknown as { naturalWidth: number }).naturalWidth, height: (img as unknown as { naturalHeight: number }).naturalHeight, src: img.getAttribute("src") }));

async function toFlow(page: Page, point: { x: number; y: number }) {
  const pane = (await page.locator(".react-flow").boundingBox())!;
  const [, tx, ty, k] = /translate\((-?[\d.]+)px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(await viewport(page))!;
  return { x: (point.x - pane.x - Number(tx)) / Number(k), y: (point.y - pane.y - Number(ty)) / Number(k) };
}

interface FileSpec {
  name: string;
  type: string;
  base64: string;
}
const fileOf = (name: string, type: string, bytes: Uint8Array): FileSpec => ({ name, type, base64: Buffer.from(bytes).toString("base64") });

/** A script building `file` as a File in the page (the test's tsconfig has no DOM types: the page's code is a string). */
const fileScript = (f: FileSpec) => `new File([Uint8Array.from(atob("${f.base64}"), (c) => c.charCodeAt(0))], ${JSON.stringify(f.name)}, { type: ${JSON.stringify(f.type)} })`;

/** Drops `file` at `point` (screen), as a file dragged from the desktop arrives; true when the page took the drop (the browser does not open the file). */
const dropFile = (page: Page, file: FileSpec, point: { x: number; y: number }) =>
  page.evaluate<boolean>(`(() => {
    const data = new DataTransfer();
    data.items.add(${fileScript(file)});
    const target = document.elementFromPoint(${point.x}, ${point.y});
    let taken = false;
    for (const type of ["dragenter", "dragover", "drop"]) taken = !target.dispatchEvent(new DragEvent(type, { dataTransfer: data, clientX: ${point.x}, clientY: ${point.y}, bubbles: true, cancelable: true }));
    return taken;
  })()`);

/** Pastes `file` as an image copied in another app arrives: a paste event carrying it. */
const pasteFile = (page: Page, file: FileSpec) =>
  page.evaluate(`(() => {
    const data = new DataTransfer();
    data.items.add(${fileScript(file)});
    (document.activeElement ?? document.body).dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);

/** The new image node that `act` makes appear on `page`. */
async function created(page: Page, act: () => Promise<unknown>): Promise<string> {
  const before = new Set(await imageIds(page));
  await act();
  let id: string | undefined;
  await poll(async () => (id = (await imageIds(page)).find((i) => !before.has(i)))).toBeTruthy();
  return id!;
}

let ada: Page;
let ben: Page;
let session: { ada: string; ben: string; path: string };
const ids: Record<string, string> = {};

describe("images on the board", () => {
  it("places a PNG dropped on the board where it was dropped, at its own ratio, for Ben too", async () => {
    session = await twoMembersOnOneProject(run.stack().url, { org: "Images team", project: "Moodboard" });
    ada = await run.openBoard(session.ada, session.path);
    ben = await run.openBoard(session.ben, session.path);
    const sunset = await png(400, 300, (x, y) => [255 - Math.round((y / 300) * 120), 120 + Math.round((x / 400) * 100), 60 + Math.round((y / 300) * 160)]);
    const point = await at(ada, 420, 330);
    ids.dropped = await created(ada, () => dropFile(ada, fileOf("sunset.png", "image/png", sunset), point));
    const placed = await box(nodeById(ada, ids.dropped));
    // 400×300 keeps its ratio, centred on the drop point.
    expect(placed.width / placed.height).toBeCloseTo(4 / 3, 2);
    const aimed = await toFlow(ada, point);
    expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
    expect(Math.abs(placed.y + placed.height / 2 - aimed.y)).toBeLessThan(2);
    await poll(() => pixels(nodeById(ada, ids.dropped!))).toMatchObject({ width: 400, height: 300 });
    await poll(() => imageIds(ben)).toEqual([ids.dropped]);
    await poll(() => pixels(nodeById(ben, ids.dropped!))).toMatchObject({ width: 400, height: 300 });
  });

  it("places an image pasted from another app at the pointer", async () => {
    const tiles = await png(240, 240, (x, y) => ((Math.floor(x / 40) + Math.floor(y / 40)) % 2 ? [37, 99, 235] : [250, 204, 21]));
    const pointer = await at(ada, 980, 360);
    await ada.mouse.move(pointer.x, pointer.y);
    ids.pasted = await created(ada, () => pasteFile(ada, fileOf("", "image/png", tiles)));
    const placed = await box(nodeById(ada, ids.pasted));
    expect(placed.width).toBe(placed.height);
    const aimed = await toFlow(ada, pointer);
    expect(Math.abs(placed.x + placed.width / 2 - aimed.x)).toBeLessThan(2);
    expect(Math.abs(placed.y + placed.height / 2 - aimed.y)).toBeLessThan(2);
    await poll(() => pixels(nodeById(ben, ids.pasted!))).toMatchObject({ width: 240, height: 240 });
    await ada.screenshot({ path: join(screenshots, "board-images.png") });
  });

  it("shows Ben both pictures after he reloads", async () => {
    await ben.reload();
    await ben.getByTestId("connection-status").getByText("Online").waitFor({ timeout: 30_000 });
    await poll(() => imageIds(ben)).toEqual([ids.dropped, ids.pasted].sort());
    await poll(() => pixels(nodeById(ben, ids.dropped!))).toMatchObject({ width: 400, height: 300 });
    await poll(() => pixels(nodeById(ben, ids.pasted!))).toMatchObject({ width: 240, height: 240 });
    await ben.screenshot({ path: join(screenshots, "board-images-ben.png") });
  });

  it("refuses a file over 10 MB and an SVG, saying why on screen", async () => {
    const before = await imageIds(ada);
    const huge = await png(16, 16, () => [0, 0, 0], new Uint8Array(11 * 1024 * 1024));
    await dropFile(ada, fileOf("huge.png", "image/png", huge), await at(ada, 300, 160));
    await ada.getByRole("alert").filter({ hasText: "huge.png is 11 MB: images up to 10 MB are accepted." }).waitFor();
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    await dropFile(ada, fileOf("logo.svg", "image/svg+xml", svg), await at(ada, 700, 160));
    // The gateway's refusal, read from the bytes.
    await ada.getByRole("alert").filter({ hasText: "logo.svg: SVG images are not accepted: an SVG can carry script." }).waitFor();
    await ada.screenshot({ path: join(screenshots, "board-images-refused.png") });
    // A file that is no image, on the board: said so. An image dropped beside the board (on the
    // chats panel): taken from the browser, which would otherwise open it in place of the board, and ignored.
    await dropFile(ada, fileOf("notes.txt", "text/plain", new TextEncoder().encode("hello")), await at(ada, 500, 160));
    await ada.getByRole("status").filter({ hasText: "Only images can be dropped onto the board." }).waitFor();
    const panel = (await ada.getByText("No chats yet").boundingBox())!;
    expect(await dropFile(ada, fileOf("beside.png", "image/png", await png(4, 4, () => [0, 0, 0])), { x: panel.x + 10, y: panel.y + 5 })).toBe(true);
    await ada.waitForTimeout(1000);
    expect(await imageIds(ada)).toEqual(before);
  });

  it("shows an upload's progress while it is sent", async () => {
    // A slow uplink (≈ 100 KB/s), so the progress can be seen.
    const cdp = await ada.context().newCDPSession(ada);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 100 * 1024 });
    const noise = await png(300, 300, (x, y) => [(x * 7919 + y * 104729) % 256, (x * 31 + y * 17) % 256, (x * y) % 256]);
    expect(noise.length).toBeGreaterThan(150_000);
    const made = created(ada, () => dropFile(ada, fileOf("noise.png", "image/png", noise), { x: 700, y: 650 }));
    const progress = ada.getByRole("status").filter({ hasText: /Uploading noise\.png… \d+ %/ });
    await progress.waitFor();
    await ada.screenshot({ path: join(screenshots, "board-images-progress.png") });
    ids.noise = await made;
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await poll(() => progress.count()).toBe(0);
  });

  it("keeps the ratio when resized, and brings the same picture back with paste and with undo of a delete", async () => {
    const node = nodeById(ada, ids.dropped!);
    await node.click();
    const handle = node.locator(".react-flow__resize-control.handle.bottom.right");
    const from = (await handle.boundingBox())!;
    await ada.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await ada.mouse.down();
    await ada.mouse.move(from.x + 120, from.y + 20, { steps: 6 });
    await ada.mouse.up();
    const resized = await box(node);
    expect(resized.width).toBeGreaterThan(300);
    expect(resized.width / resized.height).toBeCloseTo(4 / 3, 1);
    await poll(async () => (await box(nodeById(ben, ids.dropped!))).width).toBeCloseTo(resized.width, 0);

    // Copy and paste: a new node, the same stored image.
    await node.click();
    await ada.keyboard.press("Control+c");
    const target = await at(ada, 900, 650);
    await ada.mouse.move(target.x, target.y);
    ids.copy = await created(ada, () => ada.keyboard.press("Control+v"));
    const original = await pixels(node);
    await poll(() => pixels(nodeById(ben, ids.copy!))).toEqual({ ...original, width: 400, height: 300 });

    // Delete, then undo: back as itself, with its picture.
    await nodeById(ada, ids.pasted!).click();
    await ada.keyboard.press("Delete");
    await poll(() => nodeById(ben, ids.pasted!).count()).toBe(0);
    await ada.keyboard.press("Control+z");
    await poll(() => pixels(nodeById(ben, ids.pasted!))).toMatchObject({ width: 240, height: 240 });
  });

  it("adds an image chosen with the file picker of the toolbar's Image and of the menu's Image…", async () => {
    const leaf = await png(120, 200, (x, y) => [40, 120 + ((x + y) % 100), 60]);
    const chooser = ada.waitForEvent("filechooser");
    const id = created(ada, async () => {
      await ada.getByRole("button", { name: "Add an image from a file" }).click();
      await (await chooser).setFiles({ name: "leaf.png", mimeType: "image/png", buffer: Buffer.from(leaf) });
    });
    ids.picked = await id;
    const placed = await box(nodeById(ada, ids.picked));
    expect(placed.width / placed.height).toBeCloseTo(120 / 200, 2);
    await poll(() => pixels(nodeById(ben, ids.picked!))).toMatchObject({ width: 120, height: 200 });

    // The board's right-click menu: the picker again, the image's corner where the menu was opened.
    const spot = await at(ada, 60, 60);
    await ada.mouse.click(spot.x, spot.y, { button: "right" });
    const chooserAgain = ada.waitForEvent("filechooser");
    ids.menu = await created(ada, async () => {
      await ada.getByRole("menu").getByRole("menuitem", { name: "Image…" }).click();
      await (await chooserAgain).setFiles({ name: "leaf-again.png", mimeType: "image/png", buffer: Buffer.from(leaf) });
    });
    const corner = await toFlow(ada, spot);
    const fromMenu = await box(nodeById(ada, ids.menu));
    expect(Math.abs(fromMenu.x - corner.x)).toBeLessThan(2);
    expect(Math.abs(fromMenu.y - corner.y)).toBeLessThan(2);
    await poll(() => pixels(nodeById(ben, ids.menu!))).toMatchObject({ width: 120, height: 200 });
    await ben.screenshot({ path: join(screenshots, "board-images-final.png") });
  });

  it("puts the pictures in an export of the board, PNG and SVG", async () => {
    await nodeById(ben, ids.pasted!).click();
    const svg = (await exported(ben, "Selection as SVG")).toString("utf8");
    // The picture is in the file itself, not a link to the gateway (which needs a session).
    expect(svg).toContain("data:image/png;base64,");
    expect(svg).not.toContain("/m/images/file");
    const png = await exported(ben, "Selection as PNG");
    // Its middle is drawn from the picture's yellow and blue tiles, not an empty frame.
    const middle = await ben.evaluate<number[]>(`(async () => {
      const img = new Image();
      img.src = "data:image/png;base64,${png.toString("base64")}";
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext("2d");
      g.drawImage(img, 0, 0);
      return [...g.getImageData(Math.round(img.width / 2) + 20, Math.round(img.height / 2) + 20, 1, 1).data].slice(0, 3);
    })()`);
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 12);
    expect(near(middle, [250, 204, 21]) || near(middle, [37, 99, 235]), `pixel ${middle.join(",")}`).toBe(true);
  });

  it("draws the images as outlines naming their size, zoomed far out", async () => {
    await ben.keyboard.press("Escape");
    const zoom = async () => Number((await ben.locator(".zoom-percent").textContent())?.replace(/\D/g, ""));
    for (let i = 0; i < 10 && (await zoom()) >= 30; i++) {
      await ben.keyboard.press("Control+-");
      await ben.waitForTimeout(400); // the zoom animates
    }
    expect(await zoom()).toBeLessThan(40);
    await ben.screenshot({ path: join(screenshots, "board-images-far.png") });
  });
});

/** Runs an Export menu choice on `page` and returns the bytes of the file it downloads. */
async function exported(page: Page, choice: string): Promise<Buffer> {
  await page.getByRole("button", { name: "Export as an image" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("menu", { name: "Export" }).getByRole("menuitem", { name: choice }).click()]);
  return readFile((await file.path())!);
}

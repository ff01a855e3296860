/**
 * The board zoomed far out (below FAR_ZOOM): one <canvas> draws every node and edge, redrawn in
 * the next animation frame whenever the viewport moves, instead of xyflow's DOM nodes, whose
 * layerization and hit testing cost a zoomed-out board its frames (docs/benchmarks.md). xyflow
 * still pans and zooms; use-far-gestures.ts answers clicks, drags and menus on what is drawn.
 * Closer in the canvas is blank and xyflow draws the nodes; the swap shares xyflow's viewport,
 * so nothing moves, and the canvas stays two frames more while the DOM nodes paint.
 */
import { useStoreApi } from "@xyflow/react";
import { useLayoutEffect, useMemo, useRef } from "react";
import { type FarInk, drawFar } from "./far-draw";
import { type FarScene, farScene } from "./far-scene";
import type { BoardFlowNode } from "./flow-model";
import type { Box } from "./spatial-index";
import { useBoard } from "./store-context";
import { useFarGestures } from "./use-far-gestures";
import { useFarZoom } from "./zoom";

export function FarBoard({ onNodeContextMenu }: { onNodeContextMenu: (e: MouseEvent, node: BoardFlowNode) => void }) {
  const far = useFarZoom();
  const nodes = useBoard((s) => s.nodes);
  const edges = useBoard((s) => s.edges);
  const doc = useBoard((s) => s.doc);
  const canvas = useRef<HTMLCanvasElement>(null);
  const scene = useRef<FarScene | null>(null);
  const box = useRef<Box | null>(null);
  const redraw = useRef<() => void>(() => {});
  const ink = useRef<ReturnType<typeof inkOf> | null>(null);
  const api = useStoreApi();
  const current = useMemo(() => (far ? farScene(nodes, edges, doc) : null), [far, nodes, edges, doc]);
  scene.current = current;

  useLayoutEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext("2d");
    if (!element || !ctx) return;
    if (!current) {
      // The DOM nodes are mounted by now; they paint within a frame or two.
      const clear = () => {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, element.width, element.height);
      };
      let frame = requestAnimationFrame(() => (frame = requestAnimationFrame(clear)));
      element.dataset.items = "0";
      return () => cancelAnimationFrame(frame);
    }
    let frame = 0;
    const paint = () => {
      frame = 0;
      // Read once per board (a probe element resolves the CSS colours), again after a theme change.
      const colours = (ink.current ??= inkOf(element));
      const { transform, width, height } = api.getState();
      const [w, h] = [Math.round(width * colours.ratio), Math.round(height * colours.ratio)];
      if (element.width !== w || element.height !== h) [element.width, element.height] = [w, h];
      drawFar(ctx, current, { x: transform[0], y: transform[1], zoom: transform[2], width, height }, colours, box.current);
    };
    const schedule = () => void (frame ||= requestAnimationFrame(paint));
    redraw.current = schedule;
    paint();
    element.dataset.items = String(current.items.length);
    const unsubscribe = api.subscribe((s, before) => {
      if (s.transform !== before.transform || s.width !== before.width || s.height !== before.height) schedule();
    });
    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [current, api]);

  useLayoutEffect(() => {
    const theme = matchMedia("(prefers-color-scheme: dark)");
    const reread = () => {
      ink.current?.dispose();
      ink.current = null;
      redraw.current();
    };
    theme.addEventListener("change", reread);
    return () => {
      theme.removeEventListener("change", reread);
      ink.current?.dispose();
      ink.current = null;
    };
  }, []);

  const targets = useMemo(() => ({ scene, box, redraw: () => redraw.current(), onNodeContextMenu }), [onNodeContextMenu]);
  useFarGestures(canvas, far, targets);
  // Focusable: the board's keys (arrows, Delete) act on what is selected on it, as on a focused node.
  return <canvas ref={canvas} className="far-board" data-testid="far-board" aria-label="The board, zoomed out" role="img" tabIndex={-1} />;
}

/** The page's colours for the canvas: any CSS colour, variables included, as the canvas reads it. */
function inkOf(element: HTMLCanvasElement): FarInk & { dispose: () => void } {
  const probe = document.createElement("span");
  probe.style.display = "none";
  element.parentElement!.append(probe);
  const scratch = document.createElement("canvas").getContext("2d")!;
  const known = new Map<string, string>();
  const color = (css: string): string => {
    let resolved = known.get(css);
    if (resolved !== undefined) return resolved;
    probe.style.color = "";
    probe.style.color = css;
    const computed = getComputedStyle(probe).color;
    // A colour the canvas cannot parse (an old engine and color(srgb …)) leaves its fill as it was.
    scratch.fillStyle = "#010203";
    scratch.fillStyle = computed;
    resolved = scratch.fillStyle === "#010203" && computed !== "rgb(1, 2, 3)" ? srgbToRgba(computed) : computed;
    known.set(css, resolved);
    return resolved;
  };
  return {
    color,
    accent: color("var(--accent)"),
    card: color("var(--card)"),
    border: color("var(--border)"),
    fg: color("var(--fg)"),
    ratio: window.devicePixelRatio || 1,
    dispose: () => probe.remove(),
  };
}

/** `color(srgb r g b / a)` as rgba(). */
function srgbToRgba(css: string): string {
  const m = /color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: \/ ([\d.]+))?\)/.exec(css);
  if (!m) return "transparent";
  const [r, g, b] = [m[1], m[2], m[3]].map((v) => Math.round(Number(v) * 255));
  return `rgba(${r}, ${g}, ${b}, ${m[4] ?? 1})`;
}

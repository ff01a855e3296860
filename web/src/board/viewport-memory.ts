/**
 * Where each view of a project was last looked at, kept in this browser (localStorage), so
 * that a reload or a later visit opens the view where it was left. Per browser, not shared:
 * the viewport is one person's, not the project's. Unreadable or missing entries are ignored,
 * and a browser that refuses storage (private mode, quota) just does not remember.
 */
import type { Viewport } from "@xyflow/react";

const PREFIX = "kiln:viewport:";

const keyOf = (scope: string, viewId: string) => `${PREFIX}${scope}:${viewId}`;

export function readViewport(scope: string, viewId: string): Viewport | null {
  try {
    const raw = localStorage.getItem(keyOf(scope, viewId));
    if (raw === null) return null;
    const value = JSON.parse(raw) as Partial<Viewport>;
    const { x, y, zoom } = value;
    if (![x, y, zoom].every((n) => typeof n === "number" && Number.isFinite(n)) || zoom! <= 0) return null;
    return { x: x!, y: y!, zoom: zoom! };
  } catch {
    return null;
  }
}

export function writeViewport(scope: string, viewId: string, viewport: Viewport): void {
  try {
    localStorage.setItem(keyOf(scope, viewId), JSON.stringify({ x: viewport.x, y: viewport.y, zoom: viewport.zoom }));
  } catch {
    // Storage refused: the viewport is simply not remembered.
  }
}

/**
 * Where each view of a project was last looked at, kept in this browser (localStorage), so
 * that a reload or a later visit opens the view where it was left. Per browser, not shared:
 * the viewport is one person's, not the project's. Unreadable or missing entries are ignored,
 * and a browser that refuses storage (private mode, quota) just does not remember.
 */
import type { Viewport } from "@xyflow/react";
import { z } from "zod";

const PREFIX = "kiln:viewport:";

/** What is stored: anything else (another version, a hand edit) reads as nothing remembered. */
const StoredViewportSchema = z.object({ x: z.number().finite(), y: z.number().finite(), zoom: z.number().finite().positive() });

const keyOf = (scope: string, viewId: string) => `${PREFIX}${scope}:${viewId}`;

export function readViewport(scope: string, viewId: string): Viewport | null {
  try {
    const raw = localStorage.getItem(keyOf(scope, viewId));
    if (raw === null) return null;
    const parsed = StoredViewportSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
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

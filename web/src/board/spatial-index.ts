/**
 * A uniform grid over boxes in flow coordinates: what lies under a point or inside a box without
 * looking at every item. The far board (FarBoard.tsx) hit-tests its clicks with it; a board of
 * 10,000 notes answers a point from a few dozen candidates.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The grid's cell, in flow px: a few notes (240 × 160) wide. */
const CELL = 512;

export class SpatialIndex<T extends Box> {
  readonly #cells = new Map<string, T[]>();
  readonly #cell: number;

  constructor(items: Iterable<T>, cell = CELL) {
    this.#cell = cell;
    for (const item of items) for (const key of this.#keys(item)) {
      const list = this.#cells.get(key);
      if (list) list.push(item);
      else this.#cells.set(key, [item]);
    }
  }

  /** The keys of the cells a box touches. */
  *#keys(box: Box): Generator<string> {
    const c = this.#cell;
    const [left, right] = [Math.floor(box.x / c), Math.floor((box.x + Math.max(0, box.width)) / c)];
    const [top, bottom] = [Math.floor(box.y / c), Math.floor((box.y + Math.max(0, box.height)) / c)];
    for (let i = left; i <= right; i++) for (let j = top; j <= bottom; j++) yield `${i},${j}`;
  }

  /** The items whose box holds the point (edges included), `slack` flow px around it counted in. */
  at(x: number, y: number, slack = 0): T[] {
    return this.within({ x: x - slack, y: y - slack, width: 2 * slack, height: 2 * slack });
  }

  /** The items whose box meets `box`, each once. */
  within(box: Box): T[] {
    const found = new Set<T>();
    for (const key of this.#keys(box)) {
      for (const item of this.#cells.get(key) ?? []) {
        if (item.x <= box.x + box.width && item.x + item.width >= box.x && item.y <= box.y + box.height && item.y + item.height >= box.y) found.add(item);
      }
    }
    return [...found];
  }
}

/** The board store in React: one provider, and `useBoard(select)` to read from it. */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { BoardSnapshot, BoardStore } from "./store";

export const BoardContext = createContext<BoardStore | null>(null);

/** The store of the enclosing board. */
export function useBoardStore(): BoardStore {
  const store = useContext(BoardContext);
  if (!store) throw new Error("useBoardStore needs a <BoardContext.Provider>");
  return store;
}

/** Reads part of the board's state and re-renders when that part changes. Select fields as they are (no new objects). */
export function useBoard<T>(select: (snapshot: BoardSnapshot) => T): T {
  const store = useBoardStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}

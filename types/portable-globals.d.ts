/**
 * Globals that every runtime of Kiln provides (workerd, Node, browsers), declared for code
 * shared between them, which is checked without any one runtime's types.
 */
declare var console: {
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};

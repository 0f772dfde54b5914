/** Where a command writes: tests pass their own to capture output (framework's LoadEffects). */
export interface Effects {
  /** results (tables, JSON) */
  out: (text: string) => void;
  /** progress and diagnostics */
  err: (text: string) => void;
  /** true when stderr is a terminal (progress bars redraw in place) */
  isTTY: boolean;
}

/** The process's own stdout/stderr. */
export const defaultEffects: Effects = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};

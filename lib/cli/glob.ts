/**
 * Shell-style globs (`*`, `?`) as one name filter; no globs matches everything. Matched
 * without regexes, in time linear in the name for a given glob: the pieces between `*`s are
 * found leftmost in order (greedy leftmost is exact for `*`-only patterns), the first piece
 * anchored at the start and the last at the end. A backtracking regex hung on a 1 MB name.
 */
export function globFilter(globs: string[]): (name: string) => boolean {
  if (globs.length === 0) return () => true;
  const matchers = globs.map(globMatcher);
  return (name) => matchers.some((m) => m(name));
}

/** Whether `piece` (where `?` is any one character) matches `s` at `at`. */
function matchesAt(s: string, at: number, piece: string): boolean {
  if (at < 0 || at + piece.length > s.length) return false;
  for (let j = 0; j < piece.length; j++) {
    const c = piece.charCodeAt(j);
    if (c !== 63 /* ? */ && c !== s.charCodeAt(at + j)) return false;
  }
  return true;
}

/** Leftmost i in [from, end - piece.length] where `piece` matches, else -1. */
function find(s: string, piece: string, from: number, end: number): number {
  if (!piece.includes("?")) {
    const i = s.indexOf(piece, from);
    return i >= 0 && i + piece.length <= end ? i : -1;
  }
  for (let i = from; i + piece.length <= end; i++) if (matchesAt(s, i, piece)) return i;
  return -1;
}

/** A matcher for one glob. */
function globMatcher(glob: string): (name: string) => boolean {
  const pieces = glob.split("*");
  if (pieces.length === 1) return (s) => s.length === glob.length && matchesAt(s, 0, glob);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  return (s) => {
    const end = s.length - last.length;
    if (end < first.length || !matchesAt(s, 0, first) || !matchesAt(s, end, last)) return false;
    let pos = first.length;
    for (const piece of middle) {
      const i = find(s, piece, pos, end);
      if (i < 0) return false;
      pos = i + piece.length;
    }
    return true;
  };
}

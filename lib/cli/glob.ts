/** Compiles shell-style globs (`*`, `?`) into one name filter; no globs matches everything. */
export function globFilter(globs: string[]): (name: string) => boolean {
  if (globs.length === 0) return () => true;
  const res = globs.map((g) => new RegExp(`^${g.split("").map(globChar).join("")}$`));
  return (name) => res.some((re) => re.test(name));
}

function globChar(c: string): string {
  if (c === "*") return ".*";
  if (c === "?") return ".";
  return c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

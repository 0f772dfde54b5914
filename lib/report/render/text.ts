/** What every renderer writes the same way: header lines, citations, the sources of a block. */
import type { Block, Cite, Inline, Num, ReportHeader } from "../model.ts";

/** Citation ids written inline before "+N more". */
export const CITE_INLINE_IDS = 6;

/** A citation as text: "[qe_1, qe_2, +14 more]". */
export function citeText(c: Cite): string {
  const shown = c.ids.slice(0, CITE_INLINE_IDS);
  return `[${shown.join(", ")}${c.ids.length > shown.length ? `, +${c.ids.length - shown.length} more` : ""}]`;
}

/** The header's lines as label/value pairs, in the order every rendering starts with. */
export function headerLines(h: ReportHeader): Array<[string, string]> {
  return [
    ["model", `${h.model} (${h.format})`],
    ["model id", h.modelId],
    ["file hashes", h.fileHashes.length ? h.fileHashes.map((f) => `${f.file} sha256 ${f.sha256}`).join("; ") : "not recorded (the CLI records them; the browser does not hash files)"],
    ["tool version", `quantlens ${h.toolVersion}`],
    ["baseline", h.baseline],
    ["statistics run", h.statsRun ?? "none"],
    ["evaluation runs", h.evalRuns.length ? h.evalRuns.join(", ") : "none"],
    ["date", h.date],
  ];
}

/** The Nums of a block. */
export function numsOf(b: Block): Num[] {
  const cells: Inline[] = b.kind === "p" ? b.content : b.kind === "list" ? b.items.flat() : b.kind === "table" ? b.rows.flat() : [];
  return cells.filter((x): x is Num => typeof x !== "string" && x.kind === "num");
}

/** The union of a block's number sources: queries and derivations in first-use order, evidence ids sorted. */
export function blockSources(b: Block): { queries: string[]; evidence: string[]; via: string[] } {
  const sources = b.kind === "figure" ? [b.source] : numsOf(b).map((n) => n.source);
  return {
    queries: [...new Set(sources.flatMap((s) => s.queries))],
    evidence: [...new Set(sources.flatMap((s) => s.evidence ?? []))].sort(),
    via: [...new Set(sources.flatMap((s) => (s.via ? [s.via] : [])))],
  };
}

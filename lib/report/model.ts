/**
 * The one report model: a plain document tree (sections of paragraphs, tables, figures, lists)
 * that every renderer (Markdown, HTML, PDF through HTML, the dashboard page) draws. Strings are
 * plain text, never markup: renderers escape them. Every number is a Num that names its source.
 */

/** Where a number came from: named report queries (lib/store/report-queries.ts) and/or evidence row ids. */
export interface Source {
  queries: string[];
  evidence?: string[];
  /** the pure function that derived it from the query rows, e.g. "weightMemory (lib/quant/memory.ts)" */
  via?: string;
}

/** How a number is written. */
export type NumFormat =
  | { kind: "fixed"; digits: number }
  | { kind: "sig"; digits: number }
  | { kind: "int" }
  | { kind: "bytes" }
  | { kind: "pct"; digits: number };

/** A number with its provenance. `value` null is written as "n/a". */
export interface Num { kind: "num"; value: number | null; format: NumFormat; source: Source; unit?: string }

/** Inline code (a tensor name, a spec, an id): still text, never markup. */
export interface Code { kind: "code"; text: string }

/** A citation of evidence rows or rule ids. */
export interface Cite { kind: "cite"; ids: string[] }

export type Inline = string | Num | Code | Cite;

export interface Paragraph { kind: "p"; content: Inline[] }
export interface List { kind: "list"; items: Inline[][] }
export interface Column { label: string; align?: "left" | "right" }
export interface Table {
  kind: "table"; id: string; caption: string; columns: Column[]; rows: Inline[][];
  /** columns of differences, shaded on a diverging scale centred on 0 (half-width: the column's largest |value|) where colour is drawn */
  diverging?: number[];
}

/** Layer x module grid: one cell per (layer, module); null = no tensor or no value. */
export interface HeatmapChart {
  kind: "heatmap"; metric: string; layers: number[]; modules: string[];
  /** sequential (default) from min to max, or diverging around 0 (differences) */
  colors?: "sequential" | "diverging";
  cells: Array<{ layer: number; module: string; name: string; value: number | null }>;
}
/** One bar per label on a linear or log value axis. */
export interface BarChart { kind: "bars"; metric: string; scale: "linear" | "log"; bars: Array<{ label: string; value: number | null }> }
/** Value histogram: counts[i] values in [edges[i], edges[i+1]); an optional normal curve of the same mean and std. */
export interface HistogramChart { kind: "histogram"; tensor: string; edges: number[]; counts: number[]; normal?: { mean: number; std: number; n: number } }
export type Chart = HeatmapChart | BarChart | HistogramChart;

export interface Figure { kind: "figure"; id: string; caption: string; chart: Chart; source: Source }

export type Block = Paragraph | List | Table | Figure;

export interface Section { id: string; title: string; blocks: Block[] }

/** One named query as the report ran it: the appendix lists every one. */
export interface QueryUse { name: string; sql: string; params: unknown[]; rows: number }

/** The lines every rendering starts with (STYLE.md: model, file hashes, tool version, baseline). */
export interface ReportHeader {
  title: string;
  model: string;
  modelId: string;
  format: string;
  /** sha256 of the model's files when the store holds them */
  fileHashes: Array<{ file: string; sha256: string }>;
  toolVersion: string;
  baseline: string;
  statsRun: string | null;
  evalRuns: string[];
  date: string;
}

export interface ReportDoc {
  header: ReportHeader;
  sections: Section[];
  queries: QueryUse[];
  /** every evidence row id any number or citation uses */
  evidence: string[];
}

/** Helpers that keep section builders short. */
export const num = (value: number | null | undefined, format: NumFormat, source: Source, unit?: string): Num =>
  ({ kind: "num", value: value === undefined || (typeof value === "number" && !Number.isFinite(value)) ? null : value, format, source, ...(unit ? { unit } : {}) });
export const code = (text: string): Code => ({ kind: "code", text });
export const p = (...content: Inline[]): Paragraph => ({ kind: "p", content });

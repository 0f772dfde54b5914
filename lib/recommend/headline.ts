/**
 * The recommendation in one line, for the dashboard's first page: "W8, W8A8, KV8 recommended; W4
 * acceptable; avoid W4A4, W2 — for a 0.26M model on dialogue, 4 rules, 37 evidence rows". Built
 * from the engine's result only: lists, inputs, rationale and the evidence row ids behind them.
 */
import type { Recommendation } from "./result.ts";

/** Specs named per list before "and N more" (the full lists are a click away). */
export const HEADLINE_SPECS_PER_LIST = 4;

/** Plain (round-to-nearest) specs first, calibrated variants after, each group in the engine's order. */
export function plainFirst(specs: string[]): string[] {
  const calibrated = (s: string) => /-(awq|gptq|smoothquant)$/i.test(s);
  return [...specs.filter((s) => !calibrated(s)), ...specs.filter(calibrated)];
}

/** "W8, W8A8, KV8" or "W8, W8A8, KV8, W4A8 and 3 more". */
export function specList(specs: string[], max = HEADLINE_SPECS_PER_LIST): string {
  const ordered = plainFirst(specs);
  const shown = ordered.slice(0, max).join(", ");
  return ordered.length > max ? `${shown} and ${ordered.length - max} more` : shown;
}

/** Parameters with two significant digits: "7.2B", "0.26M" (from 100K on in millions), "42K". */
export function paramsLabel(paramsB: number): string {
  const two = (x: number) => String(Number(x.toPrecision(2)));
  if (paramsB >= 1) return `${two(paramsB)}B`;
  if (paramsB >= 1e-4) return `${two(paramsB * 1e3)}M`;
  return `${two(paramsB * 1e6)}K`;
}

/** Every evidence row id the result rests on: the rules' and the specs'. */
export function evidenceRows(rec: Recommendation): Set<string> {
  const ids = new Set<string>();
  for (const r of rec.rationale) r.evidence.forEach((i) => ids.add(i));
  for (const s of rec.specs) s.evidence.forEach((i) => ids.add(i));
  return ids;
}

/** The parts of the line, for a page that styles them (and the whole line as text). */
export interface Headline { lists: string; scope: string; text: string }

/** The one-line answer of `rec`; `task` labels are the engine's (dialogue, multi_step_reasoning -> "multi step reasoning"). */
export function headline(rec: Recommendation): Headline {
  const parts: string[] = [];
  if (rec.recommended.length) parts.push(`${specList(rec.recommended)} recommended`);
  if (rec.acceptable.length) parts.push(`${specList(rec.acceptable)} acceptable`);
  if (rec.avoid.length) parts.push(`avoid ${specList(rec.avoid)}`);
  const lists = parts.length ? parts.join("; ") : "no spec could be sorted";
  const rules = new Set(rec.rationale.map((r) => r.rule)).size;
  const rows = evidenceRows(rec).size;
  const task = rec.inputs.task ? rec.inputs.task.replace(/_/g, " ") : "any task";
  const scope = `for a ${paramsLabel(rec.inputs.params_b)} model on ${task}, ${rules} ${rules === 1 ? "rule" : "rules"}, ${rows.toLocaleString("en-US")} evidence ${rows === 1 ? "row" : "rows"}`;
  return { lists, scope, text: `${lists} — ${scope}` };
}

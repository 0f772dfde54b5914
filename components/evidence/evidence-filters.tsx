"use client";
/** The explorer's filters (family, size, task, ability, dataset, quant target, bits, method) and the y measure. */
import type { ExplorerFacets } from "@/lib/store/evidence-explorer.ts";
import type { ExplorerState } from "@/lib/share/evidence-url-state.ts";
import { NumberField, SelectField } from "@/components/ui/select-field.tsx";
import { Button } from "@/components/ui/button.tsx";
import { DEFAULT_EXPLORER } from "@/lib/share/evidence-url-state.ts";

const TARGET_LABELS: Record<string, string> = { none: "none (FP16)", W: "weights", WA: "weights + activations", KV: "KV cache", WKV: "weights + KV" };

export function EvidenceFilters({ facets, state, onChange }: { facets: ExplorerFacets; state: ExplorerState; onChange: (s: ExplorerState) => void }) {
  const f = state.filter;
  const set = (patch: Partial<ExplorerState["filter"]>) => onChange({ ...state, filter: { ...f, ...patch } });
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="evidence-filters">
      <SelectField label="family" value={f.family} options={facets.families} onChange={(v) => set({ family: v })} testId="filter-family" />
      <NumberField label="size from (B)" value={f.sizeMinB} onChange={(v) => set({ sizeMinB: v })} placeholder={String(facets.size_min_b)} testId="filter-size-min" />
      <NumberField label="size to (B)" value={f.sizeMaxB} onChange={(v) => set({ sizeMaxB: v })} placeholder={String(facets.size_max_b)} testId="filter-size-max" />
      <SelectField label="task category" value={f.task} options={facets.tasks} onChange={(v) => set({ task: v })} testId="filter-task" />
      <SelectField label="ability" value={f.ability} options={facets.abilities} onChange={(v) => set({ ability: v })} testId="filter-ability" />
      <SelectField label="dataset" value={f.dataset} options={facets.datasets} onChange={(v) => set({ dataset: v })} testId="filter-dataset" />
      <SelectField label="quant target" value={f.target} options={facets.targets} onChange={(v) => set({ target: v })} testId="filter-target" format={(t) => TARGET_LABELS[t] ?? t} />
      <SelectField label="bits" value={f.bits} options={facets.bits.filter((b) => b < 16)} onChange={(v) => set({ bits: v })} testId="filter-bits" />
      <SelectField label="method" value={f.method} options={facets.methods} onChange={(v) => set({ method: v })} testId="filter-method" />
      <SelectField label="y axis" value={state.measure} options={["absolute", "relative"] as const} anyLabel={null} testId="filter-measure"
        format={(m) => (m === "relative" ? "relative to FP16" : "absolute")} onChange={(v) => onChange({ ...state, measure: v ?? "absolute" })} />
      <Button variant="ghost" onClick={() => onChange(DEFAULT_EXPLORER)} data-testid="filter-reset">Reset</Button>
    </div>
  );
}

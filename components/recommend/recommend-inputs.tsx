"use client";
/** The CLI's inputs (params, family, task, context, memory budget, target); empty fields take the opened model's values. */
import { TARGETS, TASK_KINDS } from "@/lib/recommend/types.ts";
import type { RecommendState } from "@/lib/share/evidence-url-state.ts";
import { DEFAULT_RECOMMEND } from "@/lib/share/evidence-url-state.ts";
import { NumberField, SelectField } from "@/components/ui/select-field.tsx";
import { Button } from "@/components/ui/button.tsx";

export interface ModelDefaults { paramsB: number; family: string | null; context: number }

const fmtB = (b: number) => (b >= 1 ? `${Number(b.toPrecision(3))}` : `${Number(b.toPrecision(2))}`);

export function RecommendInputs({ state, defaults, families, onChange }: {
  state: RecommendState; defaults: ModelDefaults; families: string[]; onChange: (s: RecommendState) => void;
}) {
  const set = (patch: Partial<RecommendState>) => onChange({ ...state, ...patch });
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="recommend-inputs">
      <NumberField label="parameters (B)" value={state.paramsB} onChange={(v) => set({ paramsB: v })} placeholder={`${fmtB(defaults.paramsB)} (model)`} testId="input-params" />
      <SelectField label="family" value={state.family} options={families} onChange={(v) => set({ family: v })}
        anyLabel={defaults.family ? `${defaults.family} (model)` : "unknown"} testId="input-family" />
      <SelectField label="task" value={state.task} options={TASK_KINDS} onChange={(v) => set({ task: v })} anyLabel="any task" testId="input-task" />
      <NumberField label="context (tokens)" value={state.context} step="1" onChange={(v) => set({ context: v === null ? null : Math.round(v) })} placeholder={`${defaults.context} (model)`} testId="input-context" />
      <NumberField label="memory budget (GB)" value={state.memoryGb} onChange={(v) => set({ memoryGb: v })} placeholder="none" testId="input-memory" />
      <SelectField label="target" value={state.target} options={TARGETS} anyLabel={null} onChange={(v) => set({ target: v ?? "all" })} testId="input-target" />
      <Button variant="ghost" onClick={() => onChange(DEFAULT_RECOMMEND)} data-testid="input-reset">From the model</Button>
    </div>
  );
}

"use client";
/** The report's recommendation inputs (task, context, memory budget); empty fields take the model's own values. */
import { TASK_KINDS } from "@/lib/recommend/types.ts";
import type { ReportLinkState } from "@/lib/share/report-url-state.ts";
import { NumberField, SelectField } from "@/components/ui/select-field.tsx";

export function ReportInputs({ link, onChange }: { link: ReportLinkState; onChange: (patch: Partial<ReportLinkState>) => void }) {
  return (
    <div className="flex flex-wrap items-end gap-3" data-testid="report-inputs">
      <SelectField label="task" value={link.task} options={TASK_KINDS} onChange={(v) => onChange({ task: v })} anyLabel="any task" testId="report-task"
        format={(t) => t.replaceAll("_", " ")} />
      <NumberField label="context (tokens)" value={link.context} step="1" onChange={(v) => onChange({ context: v === null ? null : Math.round(v) })} placeholder="model's" testId="report-context" />
      <NumberField label="memory budget (GB)" value={link.memoryGb} onChange={(v) => onChange({ memoryGb: v })} placeholder="none" testId="report-memory" />
    </div>
  );
}

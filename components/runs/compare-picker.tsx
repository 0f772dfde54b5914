"use client";
/** Picking two runs for the Compare view: a checkbox per run row, and the bar that starts the comparison (the first picked is a, the second b). */
import { Button } from "@/components/ui/button.tsx";

export function PickBox({ id, picked, onPick, disabled, label }: { id: string; picked: string[]; onPick: (id: string) => void; disabled?: boolean; label: string }) {
  const at = picked.indexOf(id);
  return (
    <label className="inline-flex items-center gap-1 text-xs font-semibold text-slate-600" title={disabled ? "Nothing recorded in this run yet" : "Pick to compare"}>
      <input type="checkbox" checked={at >= 0} disabled={disabled} onChange={() => onPick(id)} data-testid="run-pick" aria-label={`compare ${label}`} className="h-4 w-4 accent-slate-900" />
      <span className="w-2">{at === 0 ? "a" : at === 1 ? "b" : ""}</span>
    </label>
  );
}

export function ComparePicker({ picked, onCompare, onClear }: { picked: string[]; onCompare: () => void; onClear: () => void }) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-dashed border-slate-300 bg-white px-4 py-3" data-testid="compare-picker">
      <p className="text-sm text-slate-600">
        {picked.length === 0 && "Pick two runs below (statistics or evaluation runs, of one model or two) to compare them side by side."}
        {picked.length === 1 && "One run picked (a): pick a second (b)."}
        {picked.length === 2 && "Two runs picked: a and b. Differences are shown as b − a."}
      </p>
      <div className="flex gap-2">
        {picked.length > 0 && <Button variant="ghost" onClick={onClear}>Clear</Button>}
        <Button variant="primary" disabled={picked.length !== 2} onClick={onCompare} data-testid="compare-start">Compare</Button>
      </div>
    </div>
  );
}

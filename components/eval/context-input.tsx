"use client";
/** The protocol's window length S (`--context` of the CLI); empty means the model's context length. */
import { useId } from "react";

export function ContextInput({ value, onValue, disabled }: { value: string; onValue: (v: string) => void; disabled: boolean }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">context (tokens per window)</label>
      <input id={id} type="number" min={1} step={1} value={value} onChange={(e) => onValue(e.target.value)} disabled={disabled}
        placeholder="the model's" data-testid="eval-context"
        className="h-8 w-32 rounded-lg border border-slate-300 px-2 font-mono text-xs outline-none focus:border-amber-500" />
    </div>
  );
}

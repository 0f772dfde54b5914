"use client";
/**
 * The specs to evaluate: one toggle chip per preset or added spec, and a box for a custom spec
 * that is parsed as it is typed (DESIGN.md's spec grammar) and added in its canonical form.
 */
import { useId, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button.tsx";
import { parseSpec, SpecError } from "@/lib/quant/spec.ts";

/** The custom spec box: null when empty, else the canonical text or the parse error. */
export function checkSpec(text: string): { canonical: string } | { error: string } | null {
  if (!text.trim()) return null;
  try {
    return { canonical: parseSpec(text).text };
  } catch (e) {
    return { error: e instanceof SpecError ? e.detail : (e as Error).message };
  }
}

export interface SpecPickerProps {
  /** every chip, presets first */
  chips: string[];
  selected: string[];
  disabled: boolean;
  onToggle: (spec: string) => void;
  /** a chip that reads as the typed spec is to be selected */
  onSelect: (spec: string) => void;
  /** a new spec (canonical text) is to be added as a selected chip */
  onCustom: (canonical: string) => void;
}

/** Chips to toggle and a custom spec box whose spec joins the chips (or selects the chip it equals). */
export function SpecPicker({ chips, selected, disabled, onToggle, onSelect, onCustom }: SpecPickerProps) {
  const id = useId();
  const [typed, setTyped] = useState("");
  const check = checkSpec(typed);
  const addCustom = () => {
    if (!check || "error" in check) return;
    const canonical = check.canonical;
    const existing = chips.find((c) => checkSpec(c) !== null && (checkSpec(c) as { canonical?: string }).canonical === canonical);
    if (existing) onSelect(existing);
    else onCustom(canonical);
    setTyped("");
  };
  const onCustomKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") { e.preventDefault(); addCustom(); }
  };
  return (
    <div>
      <div className="mb-1.5 text-xs font-medium text-slate-600">specs</div>
      <div className="flex flex-wrap gap-1.5" role="group" aria-label="Specs to evaluate" data-testid="eval-specs">
        {chips.map((s) => {
          const on = selected.includes(s);
          return (
            <button key={s} type="button" role="checkbox" aria-checked={on} data-testid="eval-spec-chip" data-spec={s} disabled={disabled}
              onClick={() => onToggle(s)}
              className={`h-7 rounded-full border px-3 font-mono text-xs transition-colors disabled:opacity-60 ${on ? "border-slate-800 bg-slate-800 text-white" : "border-slate-300 bg-white text-slate-700 hover:border-slate-500"}`}>
              {s}
            </button>
          );
        })}
      </div>
      <div className="mt-2 flex items-start gap-2">
        <div className="flex-1">
          <label htmlFor={id} className="sr-only">custom spec</label>
          <input id={id} type="text" value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={onCustomKey} disabled={disabled}
            placeholder="custom spec, e.g. W4-g64-awq" data-testid="eval-custom-spec" spellCheck={false} autoComplete="off"
            aria-invalid={check !== null && "error" in check}
            className={`h-8 w-full rounded-md border px-2 font-mono text-xs outline-none ${check && "error" in check ? "border-red-400 focus:border-red-500" : "border-slate-300 focus:border-amber-500"}`} />
          {check && "error" in check && <p className="mt-1 text-xs text-red-700" data-testid="eval-spec-error" role="alert">{check.error}</p>}
          {check && "canonical" in check && <p className="mt-1 text-xs text-slate-500" data-testid="eval-spec-ok">reads as <span className="font-mono">{check.canonical}</span></p>}
        </div>
        <Button onClick={addCustom} disabled={disabled || !check || "error" in check} data-testid="eval-add-spec" className="h-8 py-0 text-xs">Add</Button>
      </div>
    </div>
  );
}

/** A labelled <select> with an "any" choice (value null); `className` passes through. */
export function SelectField<T extends string | number>({ label, value, options, onChange, anyLabel = "any", testId, className = "", format = String }: {
  label: string; value: T | null; options: readonly T[]; onChange: (v: T | null) => void; anyLabel?: string | null; testId?: string; className?: string;
  format?: (v: T) => string;
}) {
  return (
    <label className={`flex flex-col gap-1 text-xs text-slate-500 ${className}`}>
      {label}
      <select data-testid={testId} value={value === null ? "" : String(value)}
        onChange={(e) => { const raw = e.target.value; onChange(raw === "" ? null : (options.find((o) => String(o) === raw) ?? null)); }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900">
        {anyLabel !== null && <option value="">{anyLabel}</option>}
        {options.map((o) => <option key={String(o)} value={String(o)}>{format(o)}</option>)}
      </select>
    </label>
  );
}

/** A labelled number input; empty is null. */
export function NumberField({ label, value, onChange, placeholder, step = "any", testId, className = "" }: {
  label: string; value: number | null; onChange: (v: number | null) => void; placeholder?: string; step?: string; testId?: string; className?: string;
}) {
  return (
    <label className={`flex flex-col gap-1 text-xs text-slate-500 ${className}`}>
      {label}
      <input type="number" min={0} step={step} data-testid={testId} placeholder={placeholder} value={value ?? ""}
        onChange={(e) => { const v = e.target.valueAsNumber; onChange(Number.isFinite(v) && v > 0 ? v : null); }}
        className="w-28 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 tabular-nums" />
    </label>
  );
}

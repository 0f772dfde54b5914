import type { TensorRow } from "@/lib/demo/schema.ts";

const fmt = (v: number | null) =>
  v === null ? "–" : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(4);

/** Tensors ranked by kurtosis: the heavy-tailed ones, which quantize worst, come first. */
export function TensorTable({ rows }: { rows: TensorRow[] }) {
  const sorted = [...rows].sort((a, b) => (b.kurtosis ?? -1) - (a.kurtosis ?? -1));
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="tensor-table">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
            <th className="py-2 pr-4">tensor</th><th className="pr-4">shape</th><th className="pr-4">dtype</th>
            <th className="pr-4 text-right">absmax</th><th className="pr-4 text-right">std</th>
            <th className="pr-4 text-right">kurtosis</th><th className="pr-4 text-right">absmax/std</th>
            <th className="text-right normal-case">&gt;6σ</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.name} className="border-b border-slate-100 hover:bg-slate-50">
              <td className="py-1.5 pr-4 font-mono text-xs">{r.name}</td>
              <td className="pr-4 tabular-nums text-slate-600">{r.shape.join("×")}</td>
              <td className="pr-4 text-slate-600">{r.dtype}</td>
              <td className="pr-4 text-right tabular-nums">{fmt(r.absmax)}</td>
              <td className="pr-4 text-right tabular-nums">{fmt(r.std)}</td>
              <td className="pr-4 text-right tabular-nums font-medium">{fmt(r.kurtosis)}</td>
              <td className="pr-4 text-right tabular-nums">{fmt(r.absmax_over_std)}</td>
              <td className="text-right tabular-nums">
                {r.outlier_fraction === null ? "–" : `${(r.outlier_fraction * 100).toFixed(3)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

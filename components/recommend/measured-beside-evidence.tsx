/** Per spec: the evidence's expected drop, the user's measured KL and top-1 (when the store has a run) and the predicted score. */
import type { Recommendation } from "@/lib/recommend/result.ts";
import { fmtNum } from "@/lib/viz/format.ts";

export function MeasuredBesideEvidence({ rec }: { rec: Recommendation }) {
  const measured = rec.specs.filter((s) => s.measured);
  return (
    <div className="space-y-2" data-testid="measured-beside-evidence">
      {measured.length === 0 && (
        <p className="text-sm text-slate-500">No evaluation of this model in this browser&apos;s store yet: run one in the What-if tab (or open a result bundle) and it appears here beside the evidence.</p>
      )}
      <div className="max-h-80 overflow-auto">
        <table className="w-full text-xs tabular-nums">
          <thead className="text-left text-slate-500">
            <tr><th className="px-2 py-1">spec</th><th className="px-2 py-1">bucket</th><th className="px-2 py-1 text-right">evidence drop %</th><th className="px-2 py-1 text-right">evidence pairs</th>
              <th className="px-2 py-1 text-right">your KL</th><th className="px-2 py-1 text-right">your top-1</th><th className="px-2 py-1">agrees</th></tr>
          </thead>
          <tbody>
            {rec.specs.map((s) => (
              <tr key={s.spec} className="border-t border-slate-100">
                <td className="px-2 py-1 font-mono">{s.spec}</td><td className="px-2 py-1">{s.bucket}</td>
                <td className="px-2 py-1 text-right">{s.aggregate ? s.aggregate.mean_rel_drop_pct.toFixed(2) : "–"}</td>
                <td className="px-2 py-1 text-right">{s.aggregate?.pairs ?? "–"}</td>
                <td className="px-2 py-1 text-right">{s.measured ? fmtNum(s.measured.measured.kl, 3) : "–"}</td>
                <td className="px-2 py-1 text-right">{s.measured ? fmtNum(s.measured.measured.top1_agreement, 3) : "–"}</td>
                <td className="px-2 py-1">{s.measured ? (s.measured.agrees ? "yes" : "no: demoted") : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

"use client";
/** The recommendation in one line (lib/recommend/headline.ts), the lists as coloured chips under it, and where to read why. */
import type { ReactNode } from "react";
import { headline, plainFirst } from "@/lib/recommend/headline.ts";
import type { Recommendation } from "@/lib/recommend/result.ts";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import type { Answer } from "./use-summary.ts";

const CHIP = {
  recommended: "border-emerald-200 bg-emerald-50 text-emerald-800",
  acceptable: "border-amber-200 bg-amber-50 text-amber-800",
  avoid: "border-rose-200 bg-rose-50 text-rose-800",
} as const;

function Chips({ kind, specs }: { kind: keyof typeof CHIP; specs: string[] }) {
  if (!specs.length) return null;
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid={`summary-${kind}`}>
      <span className="w-24 text-xs font-medium uppercase tracking-wide text-slate-500">{kind}</span>
      {plainFirst(specs).map((s) => <span key={s} className={`rounded border px-1.5 py-0.5 font-mono text-xs ${CHIP[kind]}`}>{s}</span>)}
    </div>
  );
}

function Lists({ rec }: { rec: Recommendation }) {
  // specs the model's own measurements moved below what the published evidence says (lib/recommend/measured.ts)
  const demoted = plainFirst(rec.specs.filter((s) => s.basis === "measured").map((s) => s.spec));
  return (
    <div className="mt-4 space-y-1.5">
      <Chips kind="recommended" specs={rec.recommended} />
      <Chips kind="acceptable" specs={rec.acceptable} />
      <Chips kind="avoid" specs={rec.avoid} />
      {demoted.length > 0 && (
        <p className="pt-1 text-xs text-slate-600" data-testid="summary-demoted">
          Demoted by this model&apos;s measured damage (far worse than the published evidence predicts): <span className="font-mono">{demoted.join(", ")}</span>.
        </p>
      )}
    </div>
  );
}

export function AnswerCard({ modelName, answer, actions }: { modelName: string; answer: Answer; actions: ReactNode }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="summary-answer">
      {/* not upper-cased: the model's name is shown as it is spelled */}
      <h2 className="text-sm font-semibold text-slate-500">How far can <span className="font-mono text-slate-800">{modelName}</span> be quantized?</h2>
      {answer.state === "loading" && (
        <div className="mt-3 space-y-2" data-testid="summary-answer-loading">
          <Skeleton className="h-7 w-3/4" />
          <p className="text-xs text-slate-500">Loading the published evidence into this browser&apos;s store…</p>
        </div>
      )}
      {answer.state === "failed" && <p className="mt-3 text-sm text-red-700" role="alert">No recommendation: {answer.error}</p>}
      {answer.state === "ready" && (() => {
        const h = headline(answer.rec);
        return (
          <>
            <p className="mt-2 text-xl font-semibold leading-snug text-slate-900" data-testid="summary-headline">
              {h.lists} <span className="font-normal text-slate-500">— {h.scope}</span>
            </p>
            <Lists rec={answer.rec} />
          </>
        );
      })()}
      <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-100 pt-3">{actions}</div>
    </section>
  );
}

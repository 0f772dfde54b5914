"use client";
/**
 * Loading states that tell the truth: while a link's model is reopened, a skeleton naming it
 * stands where the panels go (never the demo's numbers under another model's name); while a new
 * model loads over another, a banner says the panels below are still the previous model's.
 */
import type { ReactNode } from "react";

/** The panel area while `loading` is being opened and nothing of it is on screen yet. */
export function PanelSkeleton({ loading }: { loading: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-6" data-testid="panel-loading" aria-busy="true">
      <p className="text-sm text-slate-700">Loading <span className="font-mono font-medium">{loading}</span>…</p>
      <div className="mt-4 animate-pulse space-y-3" aria-hidden="true">
        {[0, 1, 2, 3].map((i) => <div key={i} className="h-4 rounded bg-slate-100" style={{ width: `${90 - i * 15}%` }} />)}
      </div>
    </div>
  );
}

/** The panels of `showing`, marked as the previous model's while `loading` opens. */
export function PreviousModel({ showing, loading, children }: { showing: string; loading: string; children: ReactNode }) {
  return (
    <div>
      <p className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="previous-model" role="status">
        Opening <span className="font-mono">{loading}</span>. Below: the previous model, <span className="font-mono">{showing}</span>, until it is ready.
      </p>
      <div className="pointer-events-none opacity-50" aria-busy="true">{children}</div>
    </div>
  );
}

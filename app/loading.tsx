/** Shown while the server reads the demo results. */
export default function Loading() {
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-6 py-10" aria-busy="true">
      <div className="h-8 w-48 animate-pulse rounded bg-slate-200" />
      <div className="h-32 animate-pulse rounded-xl bg-slate-200" />
      <div className="h-64 animate-pulse rounded-xl bg-slate-200" />
    </main>
  );
}

"use client";

/** Plain-words error panel for this route. */
export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">{error.message}</p>
      <button onClick={reset} className="mt-4 rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white">Try again</button>
    </main>
  );
}

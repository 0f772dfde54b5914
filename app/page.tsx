import { Suspense } from "react";
import { Dashboard } from "@/components/dashboard/dashboard.tsx";
import { Skeleton } from "@/components/ui/skeleton.tsx";
import { loadDemo } from "@/lib/demo/load.ts";
import { decodeView } from "@/lib/share/url-state.ts";

type SearchParams = Record<string, string | string[] | undefined>;

/** Reads the embedded demo (stories260K, computed by our CLI; validated by loadDemo) and the view the URL asks for. */
async function DashboardWithDemo({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const [{ generated_by: _, ...demo }, params] = await Promise.all([loadDemo(), searchParams]);
  return <Dashboard demo={demo} initialView={decodeView(params)} />;
}

function DashboardSkeleton() {
  return (
    <main className="mx-auto max-w-6xl space-y-5 px-6 py-8" aria-busy="true">
      <Skeleton className="h-10 w-64" />
      <Skeleton className="h-28" />
      <Skeleton className="h-96" />
    </main>
  );
}

/** Home: the dashboard, showing the embedded demo until the user opens a model. */
export default function Home({ searchParams }: { searchParams: Promise<SearchParams> }) {
  return (
    <Suspense fallback={<DashboardSkeleton />}>
      <DashboardWithDemo searchParams={searchParams} />
    </Suspense>
  );
}

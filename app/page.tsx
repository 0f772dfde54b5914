import { Card, Stat } from "@/components/ui/card.tsx";
import { LayerHeatmap } from "@/components/heatmap/layer-heatmap.tsx";
import { TensorTable } from "@/components/tables/tensor-table.tsx";
import { loadDemo } from "@/lib/demo/load.ts";
import { layerModuleGrid } from "@/lib/viz/heatmap.ts";

/** Home: the embedded default model (stories260K), as our own CLI measured it. */
export default async function Home() {
  const demo = await loadDemo();
  const { model } = demo;
  const kurt = layerModuleGrid(demo.tensors, (r) => r.kurtosis);
  const ratio = layerModuleGrid(demo.tensors, (r) => r.absmax_over_std);
  return (
    <main className="mx-auto max-w-6xl space-y-6 px-6 py-10">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">quantlens</h1>
        <p className="mt-1 text-slate-600">How far can I quantize this model, for my task, before it breaks, and why?</p>
      </header>
      <Card title="Model">
        <div className="grid grid-cols-2 gap-4 sm:grid-cols-5">
          <Stat label="model" value={<span data-testid="model-name">{model.name}</span>} />
          <Stat label="format" value={model.format} />
          <Stat label="parameters" value={model.params.toLocaleString("en-US")} />
          <Stat label="tensors" value={model.tensorCount} />
          <Stat label="storage" value={model.byDtype.map((d) => d.dtype).join(", ")} />
        </div>
        <p className="mt-4 text-xs text-slate-500">{demo.generated_by}</p>
      </Card>
      <div className="grid gap-6 md:grid-cols-2">
        <Card title="Kurtosis by layer and module"><LayerHeatmap grid={kurt} label="kurtosis" /></Card>
        <Card title="AbsMax / Std by layer and module"><LayerHeatmap grid={ratio} label="absmax/std" /></Card>
      </div>
      <Card title="Tensors, heaviest tails first"><TensorTable rows={demo.tensors} /></Card>
      <footer className="pb-6 text-xs text-slate-500">
        Statistics follow quantlens&apos; definitions: population std, Pearson kurtosis (normal = 3), outliers beyond 6σ.
        Compute your own with <code className="rounded bg-slate-100 px-1">npx quantlens stats &lt;model&gt;</code>.
      </footer>
    </main>
  );
}

"use client";
/**
 * The note an already-quantized file gets on Overview, Tensors and What-if: what the file holds
 * (per quantized type: tensors and bytes) and that every number is of the dequantized weights.
 */
import type { ModelSummary } from "@/lib/formats/summary.ts";

type Model = Pick<ModelSummary, "byDtype" | "bytes">;
import { baselineLabel, storedQuantTypes } from "@/lib/analysis/stored-quant.ts";
import { fmtBytes, fmtInt } from "@/lib/viz/format.ts";

export function StoredQuantNote({ model, where }: { model: Model; where: "overview" | "tensors" | "whatif" }) {
  const types = storedQuantTypes(model);
  const baseline = baselineLabel(model);
  if (!baseline) return null;
  const holds = types.map((t) => `${t.dtype}: ${fmtInt(t.tensors)} tensor${t.tensors === 1 ? "" : "s"}, ${fmtBytes(t.bytes)}`).join(" · ");
  const tail = where === "whatif"
    ? `SQNR below is measured against the ${baseline} weights, and sizes compare against this file's ${fmtBytes(model.bytes)} of tensor data.`
    : `Statistics are of the ${baseline} weights.`;
  return (
    <p className="mb-4 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid={`stored-quant-${where}`}>
      This file is already quantized ({holds}). {tail}
    </p>
  );
}

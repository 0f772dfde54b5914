/** Builds the embedded demo document for a model: its summary and `quantlens stats --json` rows. */
import { openModelNode } from "../formats/open-node.ts";
import { summarize } from "../formats/summary.ts";
import { modelStats } from "../stats/model-stats.ts";
import { toJson } from "../cli/commands/stats.ts";
import { VERSION } from "../version.ts";
import { DemoSchema, type Demo } from "./schema.ts";

/** Opens `modelPath` and computes every tensor's statistics; `name` is the label shown. */
export async function demoFromModel(modelPath: string, name: string): Promise<Demo> {
  const source = await openModelNode(modelPath);
  try {
    const s = summarize(source);
    const tensors = [];
    for await (const stats of modelStats(source, source.tensors)) tensors.push(toJson(stats));
    return DemoSchema.parse({
      generated_by: `quantlens ${VERSION} stats on ${name} (${s.format}, karpathy/tinyllamas)`,
      model: { name, format: s.format, params: s.params, bytes: s.bytes, tensorCount: s.tensorCount,
        config: { ...s.config }, byDtype: s.byDtype },
      tensors,
    });
  } finally {
    await source.close();
  }
}

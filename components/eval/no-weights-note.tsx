"use client";
/** What the evaluation card says when the model on screen has no weights in this page (demo, bundle, reopened run). */
import { Card } from "@/components/ui/card.tsx";

/** Why nothing can run here, and how to open the model itself (or run `quantlens eval`). */
export function NoWeightsNote({ modelName }: { modelName: string }) {
  return (
    <Card title="Evaluate on your text" className="border-sky-200">
      <div className="space-y-2 text-sm text-slate-700" data-testid="eval-no-weights">
        <p className="font-medium text-slate-900">The weights of {modelName} are not in this browser.</p>
        <p>
          The model on screen was computed elsewhere (the bundled demo, a result bundle or a run reopened from the store), so there is
          nothing here to run. To measure perplexity, KL divergence and top-1 agreement of quantization specs on your own text, open the
          model itself above: a <span className="font-mono">.gguf</span> file (its tokenizer comes with it), a safetensors folder with
          config.json and tokenizer.json, a llama2.c <span className="font-mono">.bin</span>, or a Hugging Face id such as{" "}
          <span className="font-mono">hf:karpathy/stories260K</span>. Everything runs in this browser; nothing is uploaded.
        </p>
        <p className="text-slate-500">
          From a terminal: <span className="font-mono">npx quantlens eval model.gguf --text text.txt --spec FP32,W8,W4</span>
        </p>
      </div>
    </Card>
  );
}

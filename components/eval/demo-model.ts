/**
 * The demo's own model file for the evaluation card: data/demo/stories260K.gguf served by this app
 * (lib/demo/files.ts), as an absolute URL (the eval worker resolves nothing against the page), and
 * the text of the demo's precomputed run, so "Evaluate" works on a fresh visit with no file picked.
 */
import { useEffect, useState } from "react";
import { DEMO_MODEL_FILE, DEMO_TEXT_FILE, DEMO_URL } from "@/lib/demo/files.ts";

export interface DemoEvalModel {
  /** absolute URL of the model file */
  model: string;
  /** GGUF: its tokenizer comes with it */
  format: "gguf";
  sample: { label: string; load: () => Promise<string> };
}

/** The demo model while `active` (the demo is on screen and nothing else was opened); null before mount (no location on the server). */
export function useDemoEvalModel(active: boolean): DemoEvalModel | null {
  const [origin, setOrigin] = useState<string | null>(null);
  useEffect(() => setOrigin(location.href), []);
  if (!active || !origin) return null;
  const url = (f: string) => new URL(`${DEMO_URL}${f}`, origin).href;
  return {
    model: url(DEMO_MODEL_FILE), format: "gguf",
    sample: {
      label: `the demo's text (${DEMO_TEXT_FILE})`,
      load: async () => {
        const r = await fetch(url(DEMO_TEXT_FILE));
        if (!r.ok) throw new Error(`${DEMO_TEXT_FILE}: HTTP ${r.status}`);
        return r.text();
      },
    },
  };
}

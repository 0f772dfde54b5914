/** Strings from model files are text, never markup: a tensor named `<img src=x onerror=alert(1)>` through Markdown, SVG and HTML. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../../lib/report/build.ts";
import type { ReportDoc } from "../../lib/report/model.ts";
import { renderHtml } from "../../lib/report/render/html.ts";
import { escapeMarkdown, renderMarkdown } from "../../lib/report/render/markdown.ts";
import { openNodeStore } from "../../lib/store/node.ts";
import type { Store } from "../../lib/store/store.ts";
import { GOLDEN_DATE, HOSTILE_MODEL, hostileInput, loadInput, STORIES_MODEL_ID } from "./helpers.ts";

/** Markdown with its code spans removed (GFM shows code span content literally): a run of N backticks up to the next run of exactly N. */
const outsideCode = (md: string) => md.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, "");

describe("report renderers with hostile names from a model file", () => {
  let store: Store, doc: ReportDoc;
  beforeAll(async () => {
    store = await loadInput(await openNodeStore(), hostileInput());
    doc = await buildReport(store, { modelId: STORIES_MODEL_ID }, { now: GOLDEN_DATE });
  });
  afterAll(() => store?.close());

  it("renderMarkdown writes no tag outside code spans and shows the names as text", () => {
    const { markdown, files } = renderMarkdown(doc, { figures: "files" });
    expect(outsideCode(markdown)).not.toMatch(/<(img|script)/i);
    expect(outsideCode(markdown)).not.toMatch(/(?<!\\)\](?=\(javascript:)/); // an unescaped ] would close a link
    expect(markdown).toContain("`<img src=x onerror=alert(1)>`");
    expect(markdown).toContain("&lt;img src=x onerror=alert(1)&gt;"); // the histogram caption, outside code
    for (const svg of Object.values(files)) expect(svg).not.toMatch(/<(img|script)/i);
    expect(files["heatmap-kurtosis.svg"]).toContain('data-name="&lt;img src=x onerror=alert(1)&gt;"');
  });

  it("escapeMarkdown(s) escapes HTML and emphasis, link and table punctuation", () => {
    expect(escapeMarkdown(HOSTILE_MODEL)).toBe("&lt;script&gt;alert(2)&lt;/script&gt;\\|\\`\\*\\_\\[x\\](javascript:alert(3))");
  });

  it("renderHtml writes the names as escaped text only", () => {
    const html = renderHtml(doc);
    expect(html).not.toMatch(/<(img|script)/i);
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
  });
});

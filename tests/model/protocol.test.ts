/** The CONTRACT evaluation protocol: document split and context windows. */
import { describe, expect, it } from "vitest";
import { documentWindows, splitDocuments } from "../../lib/model/protocol.ts";

describe("splitDocuments(text)", () => {
  it("splits on lines holding only <|endoftext|>, drops empty documents and keeps inner newlines", () => {
    const text = "One.\nTwo lines.\n<|endoftext|>\r\nSecond story.\n<|endoftext|>\n\n<|endoftext|>\n";
    expect(splitDocuments(text)).toEqual(["One.\nTwo lines.", "Second story."]);
  });

  it("keeps a separator that is not alone on its line as text", () => {
    expect(splitDocuments("a <|endoftext|> b")).toEqual(["a <|endoftext|> b"]);
  });
});

describe("documentWindows(ids, contextLength)", () => {
  const ids = Int32Array.from({ length: 10 }, (_, i) => i);

  it("gives one window for a document that fits, predicting every token after BOS", () => {
    const w = documentWindows(ids, 16);
    expect(w.map((x) => [...x.input])).toEqual([[...ids]]);
    expect(w[0]!.predicted).toBe(9);
  });

  it("starts window k+1 at the last token of window k, so each of the 9 tokens after BOS is predicted once", () => {
    const w = documentWindows(ids, 4);
    expect(w.map((x) => [...x.input])).toEqual([[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]);
    expect(w.reduce((s, x) => s + x.predicted, 0)).toBe(9);
  });

  it("ends with a short window when the length does not divide evenly", () => {
    const w = documentWindows(ids.subarray(0, 6), 4);
    expect(w.map((x) => [...x.input])).toEqual([[0, 1, 2, 3], [3, 4, 5]]);
    expect(w.reduce((s, x) => s + x.predicted, 0)).toBe(5);
  });

  it("gives no window for a document of BOS alone, and rejects a context that cannot predict", () => {
    expect(documentWindows(ids.subarray(0, 1), 4)).toEqual([]);
    expect(() => documentWindows(ids, 1)).toThrow(RangeError);
  });
});

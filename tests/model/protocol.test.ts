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
  const inputs = (w: ReturnType<typeof documentWindows>) => w.map((x) => [...x.input]);
  const targets = (w: ReturnType<typeof documentWindows>) => w.map((x) => [...x.targets]);

  it("gives one window for a document that fits, its inputs t[0..n-2] predicting every token after BOS", () => {
    const w = documentWindows(ids, 16);
    expect(inputs(w)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8]]);
    expect(targets(w)).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(w[0]!.predicted).toBe(9);
  });

  it("feeds t[a_k..a_k+S-1] and predicts t[a_k+1..a_k+S] with a_{k+1} = a_k + S (DESIGN.md CONTRACT)", () => {
    const w = documentWindows(ids, 4);
    expect(inputs(w)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(targets(w)).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    // the last target of window k is the first input of window k+1; every logit is used
    expect(w.reduce((s, x) => s + x.predicted, 0)).toBe(9);
    for (const x of w) expect(x.predicted).toBe(x.input.length);
  });

  it("uses windows of S inputs even when a document is exactly S + 1 tokens long", () => {
    const w = documentWindows(ids.subarray(0, 5), 4);
    expect(inputs(w)).toEqual([[0, 1, 2, 3]]);
    expect(targets(w)).toEqual([[1, 2, 3, 4]]);
  });

  it("ends with a short window when the length does not divide evenly", () => {
    const w = documentWindows(ids.subarray(0, 7), 4);
    expect(inputs(w)).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect(w.reduce((s, x) => s + x.predicted, 0)).toBe(6);
  });

  it("gives no window for a document of BOS alone, and rejects a context below one token", () => {
    expect(documentWindows(ids.subarray(0, 1), 4)).toEqual([]);
    expect(documentWindows(ids, 1).length).toBe(9);
    expect(() => documentWindows(ids, 0)).toThrow(RangeError);
    expect(() => documentWindows(ids, 2.5)).toThrow(RangeError);
  });
});

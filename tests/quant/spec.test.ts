/** parseSpec / formatSpec / parseSpecList: DESIGN.md's CONTRACT examples, canonical text, bad strings. */
import { describe, expect, it } from "vitest";
import { formatSpec, parseSpec, parseSpecList, SpecError } from "../../lib/quant/spec.ts";

describe("parseSpec", () => {
  it('parseSpec("W4-g128") is 4-bit asymmetric RTN weights in groups of 128, canonical "W4"', () => {
    expect(parseSpec("W4-g128")).toEqual({
      text: "W4", weight: { bits: 4, groupSize: 128, sym: false }, act: null, kv: null, method: "rtn", float: null,
    });
  });

  it('parseSpec("W8A8") quantizes weights and activations to 8 bits', () => {
    const s = parseSpec("W8A8");
    expect(s.weight).toEqual({ bits: 8, groupSize: 128, sym: false });
    expect(s.act).toEqual({ bits: 8 });
    expect(s.kv).toBeNull();
    expect(s.text).toBe("W8A8");
  });

  it('parseSpec("W4A8KV4") quantizes weights, activations and the KV cache', () => {
    const s = parseSpec("W4A8KV4");
    expect([s.weight?.bits, s.act?.bits, s.kv?.bits, s.kv?.groupSize]).toEqual([4, 8, 4, 128]);
    expect(s.text).toBe("W4A8KV4");
  });

  it('parseSpec("W3-g-1-awq") is one group per output row with AWQ', () => {
    const s = parseSpec("W3-g-1-awq");
    expect(s.weight).toEqual({ bits: 3, groupSize: -1, sym: false });
    expect(s.method).toBe("awq");
    expect(s.text).toBe("W3-g-1-awq");
  });

  it("parseSpec(s) reads KV{b} and W{b}KV{b}, -sym and every method", () => {
    expect(parseSpec("KV8").kv).toEqual({ bits: 8, groupSize: 128 });
    expect(parseSpec("KV8").weight).toBeNull();
    expect(parseSpec("W8KV4").text).toBe("W8KV4");
    expect(parseSpec("W4-sym").weight?.sym).toBe(true);
    expect(parseSpec("W4-g64-sym-gptq")).toMatchObject({ text: "W4-g64-sym-gptq", method: "gptq" });
    expect(parseSpec("W8A8-smoothquant").method).toBe("smoothquant");
    expect(parseSpec("KV4-g64").kv).toEqual({ bits: 4, groupSize: 64 });
  });

  it("parseSpec(s) is case-insensitive and formatSpec(parseSpec(s)) is canonical and stable", () => {
    const cases: Array<[string, string]> = [
      ["w4-G128-RTN", "W4"], ["  w4a8kv4 ", "W4A8KV4"], ["W3-AWQ-G-1", "W3-g-1-awq"], ["w2-sym-g32", "W2-g32-sym"],
      ["fp16", "FP16"], ["Fp32", "FP32"], ["W8a8-SmoothQuant", "W8A8-smoothquant"],
    ];
    for (const [input, canonical] of cases) {
      const s = parseSpec(input);
      expect(s.text).toBe(canonical);
      expect(formatSpec(s)).toBe(canonical);
      expect(parseSpec(canonical)).toEqual(s);
    }
  });

  it("formatSpec(spec) accepts a hand-built spec without text or float", () => {
    expect(formatSpec({ weight: { bits: 4, groupSize: 64, sym: true }, act: null, kv: { bits: 8, groupSize: 64 }, method: "gptq" })).toBe("W4KV8-g64-sym-gptq");
    expect(formatSpec({ weight: null, act: null, kv: null, method: "rtn" })).toBe("FP16");
  });

  it("parseSpec(FP32 | FP16) quantizes nothing", () => {
    expect(parseSpec("FP32")).toEqual({ text: "FP32", weight: null, act: null, kv: null, method: "rtn", float: "FP32" });
    expect(parseSpec("FP16").float).toBe("FP16");
  });

  it("parseSpec(bad) throws SpecError naming the spec and the problem", () => {
    const bad: Array<[string, RegExp]> = [
      ["", /is not W\{b\}/], ["W", /is not W\{b\}/], ["W9", /weight bits 9 outside 2\.\.8/], ["W1", /outside 2\.\.8/],
      ["W16A16", /outside 2\.\.8/], ["A8", /activation bits need weight bits/], ["W4-g0", /-g\{N\}/], ["W4-g", /-g\{N\}/],
      ["W4-g-2", /-g\{N\}/], ["W4-g12x", /-g\{N\}/], ["W4-foo", /unknown option "-foo"/], ["W4-awq-gptq", /two methods/],
      ["W4-sym-sym", /twice/], ["W4-g64-g32", /twice/], ["KV4-sym", /-sym applies to weights/], ["KV4-awq", /no W\{b\}/],
      ["W4-smoothquant", /needs W\{b\}A\{b\}/], ["FP16-g128", /takes no options/], ["KV4W4", /is not/], ["W4-", /is not/],
      ["W4--sym", /is not/], ["W4 A8", /is not/],
    ];
    for (const [text, why] of bad) {
      let err: unknown;
      try { parseSpec(text); } catch (e) { err = e; }
      expect(err, text).toBeInstanceOf(SpecError);
      expect((err as SpecError).message, text).toMatch(why);
      expect((err as SpecError).message).toContain(`"${text}"`);
    }
  });
});

describe("parseSpecList", () => {
  it('parseSpecList("FP32,W8,W4A8") parses each entry in order', () => {
    expect(parseSpecList("FP32,W8,W4A8").map((s) => s.text)).toEqual(["FP32", "W8", "W4A8"]);
    expect(parseSpecList(" w4-g64 , kv4").map((s) => s.text)).toEqual(["W4-g64", "KV4"]);
  });

  it("parseSpecList(text) rejects an empty entry", () => {
    expect(() => parseSpecList("W8,,W4")).toThrow(SpecError);
    expect(() => parseSpecList("W8,")).toThrow(/empty entry/);
  });
});

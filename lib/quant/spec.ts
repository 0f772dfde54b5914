/**
 * Quantization spec strings (DESIGN.md "Quantization specs (CONTRACT)", Qllm-Eval naming):
 *   FP32 | FP16 | W{b} | W{b}A{b} | KV{b} | W{b}KV{b} | W{b}A{b}KV{b}
 *   then optional -g{N} (N > 0, or -1 = one group per output row; default 128), -sym, and a
 *   method -rtn (default) | -awq | -gptq | -smoothquant. Bits 2..8. Case-insensitive.
 * Canonical text (formatSpec) omits defaults, so it matches Qllm-Eval's precision labels:
 *   "w4-g128-rtn" -> "W4", "W3-G-1-AWQ" -> "W3-g-1-awq".
 */
import type { Bits } from "./types.ts";

export type QuantMethod = "rtn" | "awq" | "gptq" | "smoothquant";

/** A parsed spec; a null part is left in floating point. */
export interface QuantSpec {
  /** canonical text (formatSpec) */
  text: string;
  weight: { bits: Bits; groupSize: number; sym: boolean } | null;
  act: { bits: Bits } | null;
  /** KV cache: asymmetric per token and head, groups of head_dim when head_dim > groupSize */
  kv: { bits: Bits; groupSize: number } | null;
  method: QuantMethod;
  /** set for FP32 / FP16 (nothing quantized); parseSpec sets null otherwise (optional so callers may omit it) */
  float?: "FP32" | "FP16" | null;
}

/** Thrown for a malformed spec string; the message names the spec and what is wrong. */
export class SpecError extends Error {
  override name = "SpecError";
  constructor(readonly spec: string, readonly detail: string) {
    super(`quant spec "${spec}": ${detail}`);
  }
}

/** group size when the spec has no -g (Qllm-Eval's default) */
export const DEFAULT_GROUP_SIZE = 128;
const METHODS: readonly QuantMethod[] = ["rtn", "awq", "gptq", "smoothquant"];
// W, A and KV parts in that order, each optional (at least one, checked below)
const HEAD = /^(?:w(\d+))?(?:a(\d+))?(?:kv(\d+))?$/;

/** Parses one spec string (case-insensitive, surrounding whitespace ignored); throws SpecError. */
export function parseSpec(text: string): QuantSpec {
  const src = text.trim();
  const [head = "", ...rest] = src.toLowerCase().split(/-(?=[a-z])/);
  const fail = (detail: string): never => { throw new SpecError(text, detail); };
  // FP32 / FP16: nothing quantized, no options
  if (head === "fp32" || head === "fp16") {
    if (rest.length) fail(`${head.toUpperCase()} takes no options`);
    return { text: head.toUpperCase(), weight: null, act: null, kv: null, method: "rtn", float: head === "fp32" ? "FP32" : "FP16" };
  }
  const m = HEAD.exec(head);
  if (!m || (!m[1] && !m[2] && !m[3])) return fail(`"${head}" is not W{b}, W{b}A{b}, KV{b}, W{b}KV{b}, W{b}A{b}KV{b}, FP32 or FP16`);
  if (m[2] && !m[1]) fail("activation bits need weight bits (W{b}A{b})");
  const bits = (s: string | undefined, part: string): Bits | null => {
    if (s === undefined) return null;
    const b = Number(s);
    if (!(b >= 2 && b <= 8)) fail(`${part} bits ${s} outside 2..8`);
    return b as Bits;
  };
  const wBits = bits(m[1], "weight"), aBits = bits(m[2], "activation"), kvBits = bits(m[3], "KV");
  // options: -g{N}, -sym, method; each at most once
  let groupSize: number | null = null, sym = false, method: QuantMethod | null = null;
  for (const opt of rest) {
    if ((METHODS as readonly string[]).includes(opt)) {
      if (method !== null) fail(`two methods: -${method} and -${opt}`);
      method = opt as QuantMethod;
    } else if (opt === "sym") {
      if (sym) fail("-sym given twice");
      sym = true;
    } else if (/^g[-\d]/.test(opt) || opt === "g") {
      if (groupSize !== null) fail("-g given twice");
      if (!/^g(?:-1|[1-9]\d*)$/.test(opt)) fail(`group "-${opt}" must be -g{N} with N a positive integer, or -g-1`);
      groupSize = Number(opt.slice(1));
    } else fail(`unknown option "-${opt}" (expected -g{N}, -sym, -rtn, -awq, -gptq, -smoothquant)`);
  }
  // options that need a quantized part
  if (sym && wBits === null) fail("-sym applies to weights, but the spec quantizes none");
  if (groupSize !== null && wBits === null && kvBits === null) fail("-g applies to weights or KV, but the spec quantizes neither");
  if ((method === "awq" || method === "gptq") && wBits === null) fail(`-${method} quantizes weights, but the spec has no W{b}`);
  if (method === "smoothquant" && (wBits === null || aBits === null)) fail("-smoothquant needs W{b}A{b}");
  const g = groupSize ?? DEFAULT_GROUP_SIZE;
  const spec: QuantSpec = {
    text: "",
    weight: wBits === null ? null : { bits: wBits, groupSize: g, sym },
    act: aBits === null ? null : { bits: aBits },
    kv: kvBits === null ? null : { bits: kvBits, groupSize: g },
    method: method ?? "rtn",
    float: null,
  };
  spec.text = formatSpec(spec);
  return spec;
}

/** Canonical text of a spec: upper-case head, then -g{N} unless 128, -sym, and the method unless rtn. */
export function formatSpec(spec: Omit<QuantSpec, "text"> & { text?: string }): string {
  if (spec.float) return spec.float;
  if (!spec.weight && !spec.act && !spec.kv) return "FP16"; // nothing quantized and no float named
  let s = "";
  if (spec.weight) s += `W${spec.weight.bits}`;
  if (spec.act) s += `A${spec.act.bits}`;
  if (spec.kv) s += `KV${spec.kv.bits}`;
  const g = spec.weight?.groupSize ?? spec.kv?.groupSize ?? DEFAULT_GROUP_SIZE;
  if (g !== DEFAULT_GROUP_SIZE) s += `-g${g}`;
  if (spec.weight?.sym) s += "-sym";
  if (spec.method !== "rtn") s += `-${spec.method}`;
  return s;
}

/** Parses a comma-separated list ("FP32,W8,W4A8"); empty entries throw SpecError. */
export function parseSpecList(text: string): QuantSpec[] {
  return text.split(",").map((part) => {
    if (part.trim() === "") throw new SpecError(text, "empty entry in the comma-separated list");
    return parseSpec(part);
  });
}

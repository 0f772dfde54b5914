/**
 * Calibration: the FP32 model runs over calibration documents and the input of every linear site
 * (attn = q/k/v input, o, ffn = gate/up input, down) is summarised: per-channel absmax and mean |x|
 * (SmoothQuant, AWQ), the first MAX_SAMPLE_ROWS token rows (AWQ's output-error search), and, when
 * asked, H = sum x x^T in float64 (GPTQ). K and V (after RoPE) get per-channel and per-token absmax.
 */
import { documentWindows } from "./protocol.ts";
import { Moments } from "../stats/moments.ts";
import { forward, type LinearSite, type LlamaModel } from "./forward.ts";
import { KvCache } from "./kv-cache.ts";

/** token rows kept per site for AWQ's search (llm-awq uses 128 x 512 tokens; bounded memory here) */
export const MAX_SAMPLE_ROWS = 512;
/** calibration tokens taken from a text (llm-awq: 128 x 512; GPTQ: 128 x 2048); more adds time, not accuracy */
export const MAX_CALIBRATION_TOKENS = 65536;
/** H is cols^2 float64: skip GPTQ's Hessian for inputs wider than this (32768^2 x 8 B = 8 GiB) */
export const MAX_HESSIAN_COLS = 16384;

export interface SiteStats {
  cols: number;
  tokens: number;
  absmax: Float32Array; // (cols)
  sumAbs: Float64Array; // (cols): mean |x_j| = sumAbs[j] / tokens
  /** per-token absmax of the input, one value per token seen */
  tokenAbsmax: number[];
  sample: Float32Array; // (sampleRows, cols)
  sampleRows: number;
  hessian: Float64Array | null; // (cols, cols) sum over tokens of x x^T
  /** moments of every value seen (mean, std, kurtosis of the activation) */
  moments: Moments;
}

export interface KvSiteStats {
  channels: number;
  kAbsmax: Float32Array; vAbsmax: Float32Array; // (nKvHeads * headDim)
  kTokenAbsmax: number[]; vTokenAbsmax: number[];
  kMoments: Moments; vMoments: Moments;
}

export interface Calibration {
  tokens: number;
  /** by `${layer}.${site}` */
  sites: Map<string, SiteStats>;
  kv: KvSiteStats[];
}

export const siteKey = (layer: number, site: LinearSite): string => `${layer}.${site}`;

/** Runs `model` over `documents` (token ids, BOS first) and returns the statistics of every linear input. */
export function calibrate(model: LlamaModel, documents: Int32Array[], opts: { hessian?: boolean; signal?: AbortSignal } = {}): Calibration {
  const c = model.config;
  const cal: Calibration = { tokens: 0, sites: new Map(), kv: [] };
  const kvDim = c.nKvHeads * c.headDim;
  for (let l = 0; l < c.nLayers; l++) {
    cal.kv.push({ channels: kvDim, kAbsmax: new Float32Array(kvDim), vAbsmax: new Float32Array(kvDim), kTokenAbsmax: [], vTokenAbsmax: [], kMoments: new Moments(), vMoments: new Moments() });
  }
  const site = (l: number, s: LinearSite, cols: number): SiteStats => {
    const key = siteKey(l, s);
    let st = cal.sites.get(key);
    if (!st) {
      const hessian = opts.hessian && cols <= MAX_HESSIAN_COLS ? new Float64Array(cols * cols) : null;
      st = { cols, tokens: 0, absmax: new Float32Array(cols), sumAbs: new Float64Array(cols), tokenAbsmax: [], sample: new Float32Array(MAX_SAMPLE_ROWS * cols), sampleRows: 0, hessian, moments: new Moments() };
      cal.sites.set(key, st);
    }
    return st;
  };
  const hooks = {
    linearInput(l: number, s: LinearSite, x: Float32Array, M: number) {
      const cols = x.length / M;
      const st = site(l, s, cols);
      for (let m = 0; m < M; m++) {
        const row = x.subarray(m * cols, (m + 1) * cols);
        let amax = 0;
        for (let j = 0; j < cols; j++) {
          const a = Math.abs(row[j]!);
          if (a > st.absmax[j]!) st.absmax[j] = a;
          st.sumAbs[j] += a;
          if (a > amax) amax = a;
        }
        st.tokenAbsmax.push(amax);
        if (st.sampleRows < MAX_SAMPLE_ROWS) st.sample.set(row, st.sampleRows++ * cols);
        if (st.hessian) addOuter(st.hessian, row);
      }
      st.moments.add(x.subarray(0, M * cols));
      st.tokens += M;
    },
    kv(l: number, k: Float32Array, v: Float32Array, M: number) {
      const s = cal.kv[l]!;
      s.kMoments.add(k.subarray(0, M * kvDim));
      s.vMoments.add(v.subarray(0, M * kvDim));
      for (const [x, ch, tok] of [[k, s.kAbsmax, s.kTokenAbsmax], [v, s.vAbsmax, s.vTokenAbsmax]] as const) {
        for (let m = 0; m < M; m++) {
          let amax = 0;
          for (let j = 0; j < kvDim; j++) {
            const a = Math.abs(x[m * kvDim + j]!);
            if (a > ch[j]!) ch[j] = a;
            if (a > amax) amax = a;
          }
          tok.push(amax);
        }
      }
    },
  };
  for (const doc of documents) {
    for (const w of documentWindows(doc, c.contextLength)) {
      opts.signal?.throwIfAborted();
      forward(model, new KvCache(c.nLayers, w.input.length, c.nKvHeads, c.headDim), w.input, 0, hooks);
      cal.tokens += w.input.length;
    }
  }
  for (const st of cal.sites.values()) st.sample = st.sample.slice(0, st.sampleRows * st.cols);
  return cal;
}

/** H += x x^T (upper and lower triangles). */
function addOuter(h: Float64Array, x: Float32Array): void {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const o = i * n;
    for (let j = 0; j < n; j++) h[o + j] += xi * x[j]!;
  }
}

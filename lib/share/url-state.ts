/**
 * ViewState <-> URL search params, so a link reproduces what is on screen. Only values that
 * differ from DEFAULT_VIEW are written. Reading is a trust boundary (anyone can hand out a
 * link): every parameter is validated on its own with zod, and an unknown or bad value falls
 * back to its default; decodeView never throws.
 */
import { z } from "zod";
import { DEFAULT_VIEW, type Tab, type ViewState } from "../analysis/types.ts";

export const TABS = ["summary", "overview", "tensors", "heatmaps", "whatif", "runs", "evidence", "recommend", "report"] as const satisfies readonly Tab[];
const METHODS = ["rtn", "awq", "gptq", "smoothquant"] as const;
const MODULES = ["q", "k", "v", "o", "gate", "up", "down", "norm", "embed", "lm_head", "other"] as const;
/** longest string a parameter may carry (tensor names and hf: ids are far shorter) */
export const MAX_PARAM_LENGTH = 512;

/** URL parameter names, short so links stay readable. */
export const PARAM = {
  model: "model", tab: "tab", layer: "layer", module: "module", text: "q", sort: "sort", stat: "stat",
  channelModule: "ch", scale: "scale", tensor: "tensor", bits: "bits", groupSize: "g", method: "method",
} as const;

const text = z.string().max(MAX_PARAM_LENGTH);
/** A statistic or sort column: a TensorRow key (letters, digits, underscore). */
const key = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);
const int = (min: number, max: number) => z.string().regex(/^-?\d{1,6}$/).transform(Number).pipe(z.number().int().min(min).max(max));

const FIELDS = {
  model: text.min(1),
  tab: z.enum(TABS),
  layer: int(0, 100_000),
  module: z.enum(MODULES),
  text,
  sort: z.string().regex(/^-?[a-z][a-z0-9_]{0,63}$/).transform((s) => ({ id: s.replace(/^-/, ""), desc: s.startsWith("-") })),
  stat: key,
  channelModule: z.enum(["q", "k", "v", "o", "gate", "up", "down"]),
  scale: z.enum(["linear", "log"]),
  tensor: text.min(1),
  bits: int(1, 16),
  groupSize: int(-1, 65_536).refine((g) => g === -1 || g > 0),
  method: z.enum(METHODS),
};

type Field = keyof typeof FIELDS;

function read<F extends Field>(params: URLSearchParams, f: F): z.output<(typeof FIELDS)[F]> | undefined {
  const raw = params.get(PARAM[f]);
  if (raw === null) return undefined;
  const r = FIELDS[f].safeParse(raw);
  return r.success ? (r.data as z.output<(typeof FIELDS)[F]>) : undefined;
}

/** Anything URLSearchParams accepts, or Next's `searchParams` object (arrays: first value). */
export type ParamsInput = URLSearchParams | string | Record<string, string | string[] | undefined>;

function toParams(input: ParamsInput): URLSearchParams {
  if (input instanceof URLSearchParams || typeof input === "string") return new URLSearchParams(input);
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === "string") p.set(k, first);
  }
  return p;
}

/** The ViewState a URL describes; every missing or invalid value is its DEFAULT_VIEW value. */
export function decodeView(input: ParamsInput): ViewState {
  const p = toParams(input);
  const d = DEFAULT_VIEW;
  return {
    model: read(p, "model") ?? d.model,
    tab: read(p, "tab") ?? d.tab,
    filters: { layer: read(p, "layer") ?? d.filters.layer, module: read(p, "module") ?? d.filters.module, text: read(p, "text") ?? d.filters.text },
    sort: read(p, "sort") ?? d.sort,
    stat: read(p, "stat") ?? d.stat,
    channelModule: read(p, "channelModule") ?? d.channelModule,
    scale: read(p, "scale") ?? d.scale,
    tensor: read(p, "tensor") ?? d.tensor,
    whatif: { bits: read(p, "bits") ?? d.whatif.bits, groupSize: read(p, "groupSize") ?? d.whatif.groupSize, method: read(p, "method") ?? d.whatif.method },
  };
}

/**
 * Search params for `view`, defaults omitted. `keep` holds parameters that are not view
 * state (`hub`, `bundle`) and are carried over unchanged.
 */
export function encodeView(view: ViewState, keep?: URLSearchParams): URLSearchParams {
  const p = new URLSearchParams();
  const d = DEFAULT_VIEW;
  const set = (f: Field, v: string | number | null, def: string | number | null) => {
    if (v !== null && v !== def && String(v).length <= MAX_PARAM_LENGTH) p.set(PARAM[f], String(v));
  };
  set("model", view.model, d.model);
  set("tab", view.tab, d.tab);
  set("layer", view.filters.layer, d.filters.layer);
  set("module", view.filters.module, d.filters.module);
  set("text", view.filters.text, d.filters.text);
  if (view.sort) p.set(PARAM.sort, `${view.sort.desc ? "-" : ""}${view.sort.id}`);
  set("stat", view.stat, d.stat);
  set("channelModule", view.channelModule, d.channelModule);
  set("scale", view.scale, d.scale);
  set("tensor", view.tensor, d.tensor);
  set("bits", view.whatif.bits, d.whatif.bits);
  set("groupSize", view.whatif.groupSize, d.whatif.groupSize);
  set("method", view.whatif.method, d.whatif.method);
  const viewKeys = new Set<string>(Object.values(PARAM));
  keep?.forEach((v, k) => { if (!viewKeys.has(k)) p.set(k, v); });
  return p;
}

/** `view` merged with a patch; nested objects (filters, whatif) are merged one level deep. */
export function patchView(view: ViewState, patch: Partial<ViewState>): ViewState {
  return {
    ...view, ...patch,
    filters: { ...view.filters, ...patch.filters },
    whatif: { ...view.whatif, ...patch.whatif },
  };
}

/** A full link to `view` on `base` (location.href), keeping its non-view parameters. */
export function shareUrl(base: string, view: ViewState): string {
  const u = new URL(base);
  const q = encodeView(view, u.searchParams).toString();
  u.search = q ? `?${q}` : "";
  u.hash = "";
  return u.href;
}

/**
 * Two runs side by side: tensors matched by name and eval results matched by spec, with the
 * differences b - a (null when either side lacks the value). Pure functions over plain rows, shared
 * by the report's comparison section (lib/report/compare.ts) and the dashboard's Compare view.
 */

/** One tensor's statistics in one run. */
export interface TensorSide {
  name: string; layer: number | null; module: string | null;
  absmax: number | null; kurtosis: number | null; absmax_over_std: number | null;
}

/** A tensor in either run; `a` or `b` is null when only the other run has it. */
export interface TensorPair {
  name: string; layer: number | null; module: string | null;
  a: TensorSide | null; b: TensorSide | null;
  d_kurtosis: number | null; d_ratio: number | null; d_absmax: number | null;
}

/** One spec's eval metrics in one run. */
export interface EvalSide { spec: string; ppl: number | null; kl: number | null; top1_agreement: number | null }

/**
 * A spec measured in either run, with b - a differences. `spec` is a's spelling (b's when only b
 * has it); `specB` is b's when the two differ (W4-g128 against W4, or W4 against W4-awq).
 */
export interface EvalPair<T extends EvalSide = EvalSide> { spec: string; specB?: string; a: T | null; b: T | null; d_ppl: number | null; d_kl: number | null; d_top1: number | null }

/** y - x when both are finite numbers, else null. */
export function delta(x: number | null | undefined, y: number | null | undefined): number | null {
  return typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y) ? y - x : null;
}

/**
 * Tensors of run a and run b matched by name (a name repeated within one side keeps its first
 * row): largest |Δ kurtosis| first, pairs without a difference after them, ties by name.
 */
export function pairTensors(a: readonly TensorSide[], b: readonly TensorSide[]): TensorPair[] {
  const byName = (rows: readonly TensorSide[]) => {
    const m = new Map<string, TensorSide>();
    for (const r of rows) if (!m.has(r.name)) m.set(r.name, r);
    return m;
  };
  const [ma, mb] = [byName(a), byName(b)];
  const names = [...new Set([...ma.keys(), ...mb.keys()])];
  const pairs = names.map((name): TensorPair => {
    const x = ma.get(name) ?? null, y = mb.get(name) ?? null;
    return {
      name, layer: x?.layer ?? y?.layer ?? null, module: x?.module ?? y?.module ?? null, a: x, b: y,
      d_kurtosis: delta(x?.kurtosis, y?.kurtosis), d_ratio: delta(x?.absmax_over_std, y?.absmax_over_std), d_absmax: delta(x?.absmax, y?.absmax),
    };
  });
  const key = (p: TensorPair) => (p.d_kurtosis === null ? -1 : Math.abs(p.d_kurtosis));
  return pairs.sort((p, q) => key(q) - key(p) || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0));
}

/** How many tensors are in both runs, only in a, only in b. */
export function pairCounts(pairs: readonly TensorPair[]): { both: number; onlyA: number; onlyB: number } {
  let both = 0, onlyA = 0, onlyB = 0;
  for (const p of pairs) {
    if (p.a && p.b) both++;
    else if (p.a) onlyA++;
    else onlyB++;
  }
  return { both, onlyA, onlyB };
}

/** A spec in canonical form: upper case, the default group (-g128) and method (-rtn) dropped. */
export function canonicalSpec(spec: string): string {
  return spec.toUpperCase().replace(/-G128(?=$|-)/, "").replace(/-RTN$/, "");
}

/** A spec without its method (-awq, -gptq, -smoothquant): W4-awq and W4 share "W4". */
const methodless = (spec: string) => canonicalSpec(spec).replace(/-(AWQ|GPTQ|SMOOTHQUANT)$/, "");

/**
 * Eval results matched by spec, in a's order, then b's other specs in b's order. Specs match when
 * their canonical forms are equal; a spec left on each side that differs from the other only by its
 * method (W4 in a, W4-awq in b: two runs of one quantization by two methods) is matched when it is
 * the only one of that kind on both sides.
 */
export function pairEvals<T extends EvalSide>(a: readonly T[], b: readonly T[]): EvalPair<T>[] {
  const partner = new Map<T, T>();
  const used = new Set<T>();
  for (const x of a) {
    const y = b.find((r) => !used.has(r) && canonicalSpec(r.spec) === canonicalSpec(x.spec));
    if (y) { partner.set(x, y); used.add(y); }
  }
  const leftA = a.filter((x) => !partner.has(x)), leftB = b.filter((y) => !used.has(y));
  for (const x of leftA) {
    const key = methodless(x.spec);
    const mine = leftA.filter((r) => methodless(r.spec) === key), theirs = leftB.filter((r) => methodless(r.spec) === key);
    if (mine.length === 1 && theirs.length === 1) { partner.set(x, theirs[0]!); used.add(theirs[0]!); }
  }
  const pair = (x: T | null, y: T | null): EvalPair<T> => ({
    spec: (x ?? y)!.spec, ...(x && y && x.spec !== y.spec ? { specB: y.spec } : {}), a: x, b: y,
    d_ppl: delta(x?.ppl, y?.ppl), d_kl: delta(x?.kl, y?.kl), d_top1: delta(x?.top1_agreement, y?.top1_agreement),
  });
  return [...a.map((x) => pair(x, partner.get(x) ?? null)), ...b.filter((y) => !used.has(y)).map((y) => pair(null, y))];
}

/** The half-width of a diverging scale centred on 0: the largest |v| (0 when there is none). */
export function divergingExtent(values: Iterable<number | null>): number {
  let m = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

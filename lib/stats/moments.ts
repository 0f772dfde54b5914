/**
 * Streaming, mergeable central moments up to order 4, accumulated in float64.
 * m2, m3, m4 are SUMS of central powers (Pébay's M_p): variance = m2 / n (population,
 * ddof 0, DESIGN.md), Pearson kurtosis = n m4 / m2^2 (normal = 3).
 */
export class Moments {
  n = 0;
  mean = 0;
  m2 = 0;
  m3 = 0;
  m4 = 0;

  /** Adds finite values (non-finite are skipped), one-pass update of Terriberry (2007) / Pébay (2008) eq. 2.1. */
  add(x: ArrayLike<number>): this {
    let { n, mean, m2, m3, m4 } = this;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (!Number.isFinite(v)) continue;
      const n1 = n;
      n += 1;
      const d = v - mean;
      const dn = d / n;
      const dn2 = dn * dn;
      const t = d * dn * n1;
      mean += dn;
      m4 += t * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m2 - 4 * dn * m3;
      m3 += t * dn * (n - 2) - 3 * dn * m2;
      m2 += t;
    }
    Object.assign(this, { n, mean, m2, m3, m4 });
    return this;
  }

  /** Combines two disjoint sets: pairwise formulas of Chan, Golub & LeVeque (1979) and Pébay (2008) eq. 3.1. */
  merge(o: Readonly<MomentsLike>): this {
    if (o.n === 0) return this;
    if (this.n === 0) return Object.assign(this, pick(o));
    const na = this.n, nb = o.n, n = na + nb;
    const d = o.mean - this.mean;
    const dn = d / n;
    const { m2: a2, m3: a3 } = this;
    this.m4 += o.m4 + d * dn * dn * dn * na * nb * (na * na - na * nb + nb * nb)
      + 6 * dn * dn * (na * na * o.m2 + nb * nb * a2) + 4 * dn * (na * o.m3 - nb * a3);
    this.m3 += o.m3 + d * dn * dn * na * nb * (na - nb) + 3 * dn * (na * o.m2 - nb * a2);
    this.m2 += o.m2 + d * dn * na * nb;
    this.mean += dn * nb;
    this.n = n;
    return this;
  }

  /** From power sums S_k = sum (x - shift)^k: binomial expansion about the mean of d = x - shift. */
  static fromPowerSums(n: number, shift: number, s1: number, s2: number, s3: number, s4: number): Moments {
    const m = new Moments();
    if (n === 0) return m;
    const a = s1 / n; // mean of d
    m.n = n;
    m.mean = shift + a;
    m.m2 = Math.max(0, s2 - a * s1);
    m.m3 = s3 - 3 * a * s2 + 2 * a * a * s1;
    m.m4 = Math.max(0, s4 - 4 * a * s3 + 6 * a * a * s2 - 3 * a * a * a * s1);
    return m;
  }
}

/** The plain fields of Moments (structured-clone safe, e.g. across workers). */
export type MomentsLike = Pick<Moments, "n" | "mean" | "m2" | "m3" | "m4">;

function pick(o: MomentsLike): MomentsLike {
  return { n: o.n, mean: o.mean, m2: o.m2, m3: o.m3, m4: o.m4 };
}

/** Population variance m2 / n (ddof 0); null when n = 0. */
export function variance(m: MomentsLike): number | null {
  return m.n === 0 ? null : m.m2 / m.n;
}

/** Pearson kurtosis n m4 / m2^2 (normal = 3, DESIGN.md); null when m2 = 0 (constant, single or empty). */
export function kurtosis(m: MomentsLike): number | null {
  return m.m2 === 0 ? null : (m.n * m.m4) / (m.m2 * m.m2);
}

/**
 * Agreement of the user's own measurements with the evidence: a measured KL / top-1 agreement
 * maps to the bucket level it supports (constants.ts), and a spec whose measurement is worse
 * than its evidence bucket is demoted to the measured level, with both figures in the reason.
 */
import { MEASURED_KL_ACCEPTABLE, MEASURED_KL_RECOMMENDED, MEASURED_TOP1_ACCEPTABLE, MEASURED_TOP1_RECOMMENDED } from "./constants.ts";
import { canonicalSpec } from "./specs.ts";
import type { Bucket, MeasuredSpec } from "./types.ts";
import { maxOf } from "../tensor/extent.ts";

const LEVEL: Record<Bucket, number> = { recommended: 0, acceptable: 1, avoid: 2 };
const BY_LEVEL: Bucket[] = ["recommended", "acceptable", "avoid"];

/** The bucket a measurement supports: the worse of its KL and top-1 levels; null when it has neither. */
export function measuredBucket(m: Pick<MeasuredSpec, "kl" | "top1_agreement">): Bucket | null {
  const levels: number[] = [];
  if (m.kl !== null) levels.push(m.kl <= MEASURED_KL_RECOMMENDED ? 0 : m.kl <= MEASURED_KL_ACCEPTABLE ? 1 : 2);
  if (m.top1_agreement !== null) levels.push(m.top1_agreement >= MEASURED_TOP1_RECOMMENDED ? 0 : m.top1_agreement >= MEASURED_TOP1_ACCEPTABLE ? 1 : 2);
  return levels.length ? BY_LEVEL[maxOf(levels)]! : null;
}

/** What the user's runs say about one spec. */
export interface Agreement { measured: MeasuredSpec; measured_bucket: Bucket; agrees: boolean; text: string }

/** The measurement of `spec` (matched on its canonical spelling), compared with the evidence bucket. */
export function agreementOf(spec: string, evidenceBucket: Bucket, measured: MeasuredSpec[], predicted: string): Agreement | null {
  const m = measured.find((x) => canonicalSpec(x.spec) === spec);
  if (!m) return null;
  const b = measuredBucket(m);
  if (!b) return null;
  const figures = `KL ${m.kl === null ? "n/a" : m.kl.toFixed(4)}, top-1 agreement ${m.top1_agreement === null ? "n/a" : m.top1_agreement.toFixed(3)}`;
  const agrees = LEVEL[b] <= LEVEL[evidenceBucket];
  const text = agrees
    ? `your measured ${spec} (${figures}, run ${m.run_id}) agrees with the evidence (${predicted})`
    : `your measured ${spec} (${figures}, run ${m.run_id}) is far worse than the evidence predicts (${predicted}): demoted from ${evidenceBucket} to ${b}`;
  return { measured: m, measured_bucket: b, agrees, text };
}

/** The worse of two buckets. */
export function worse(a: Bucket, b: Bucket): Bucket {
  return LEVEL[a] >= LEVEL[b] ? a : b;
}

export { LEVEL as BUCKET_LEVEL };

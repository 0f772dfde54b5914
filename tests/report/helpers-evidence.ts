/** The published evidence (data/evidence) loaded into a report test's store, as the CLI loads it. */
import { loadEvidenceFromDir } from "../../lib/evidence/node.ts";
import type { Store } from "../../lib/store/store.ts";

/** Loads data/evidence into `store`; returns the store. */
export async function withEvidence(store: Store): Promise<Store> {
  await loadEvidenceFromDir(store);
  return store;
}

/**
 * All or nothing: `inTransaction(store, f)` runs f between BEGIN and COMMIT, and ROLLBACK on
 * any failure, so a half-applied import never stays in the store. Both runtimes run one
 * statement at a time on one connection, so the statements of f are the transaction's.
 */
import type { Store } from "./store.ts";

/** Runs `f` in one transaction of `store`; rolls back and rethrows when it fails. */
export async function inTransaction<T>(store: Store, f: () => Promise<T>): Promise<T> {
  await store.exec("BEGIN TRANSACTION");
  let result: T;
  try {
    result = await f();
  } catch (e) {
    await store.exec("ROLLBACK").catch(() => undefined);
    throw e;
  }
  await store.exec("COMMIT");
  return result;
}

/** Runs named report queries and remembers each use, so the appendix can list every query a number came from. */
import { REPORT_QUERIES, type ReportQueryName } from "../store/report-queries.ts";
import { named } from "../store/queries.ts";
import type { Row, Store } from "../store/store.ts";
import type { QueryUse, Source } from "./model.ts";

/** A store reader that logs (name, params, row count) of each distinct query it runs. */
export class QueryLog {
  readonly uses: QueryUse[] = [];
  constructor(readonly store: Store) {}

  /** The rows of query `name` with `params`; failures name the query. */
  async rows<T = Row>(name: ReportQueryName, params: unknown[]): Promise<T[]> {
    const rows = await named(`report query ${name}`, () => this.store.query<T>(REPORT_QUERIES[name], params));
    const key = JSON.stringify(params);
    if (!this.uses.some((u) => u.name === name && JSON.stringify(u.params) === key)) {
      this.uses.push({ name, sql: REPORT_QUERIES[name].replace(/\s+/g, " ").trim(), params, rows: rows.length });
    }
    return rows;
  }

  /** The first row of query `name`, or null. */
  async row<T = Row>(name: ReportQueryName, params: unknown[]): Promise<T | null> {
    return (await this.rows<T>(name, params))[0] ?? null;
  }
}

/** A Source naming queries (and optionally the function that derived the number). */
export const fromQuery = (queries: ReportQueryName | ReportQueryName[], via?: string): Source =>
  ({ queries: Array.isArray(queries) ? [...queries] : [queries], ...(via ? { via } : {}) });

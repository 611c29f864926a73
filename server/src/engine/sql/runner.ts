// The one thing the SQL estimator needs from a database: run a query and hand back its rows. DuckDB
// (duckRunner.ts) implements it here; a BigQuery, Databricks or Snowflake client would implement the same.

export interface SqlRunner {
  all(sql: string, opts?: { signal?: AbortSignal; onProgress?: (f: number) => void }): Promise<Record<string, unknown>[]>;
}

/** A numeric cell as a JS number (drivers return BIGINT/HUGEINT as bigint); null and NaN stay NaN. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined) return NaN;
  const x = Number(v);
  return x;
}

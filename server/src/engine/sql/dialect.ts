// Everything in the estimation queries that is not plain SQL-92 aggregate SQL lives here, so that a
// BigQuery, Databricks SQL or Snowflake port replaces this module only (see docs/scale.md).
import { EstimationError } from '../types';

/** A quoted identifier ("a""b"; BigQuery would use backticks). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL literal for a level value read back from the database. */
export function literal(v: unknown): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new EstimationError(`a fixed-effect level is not finite (${v}): drop those rows or recode the variable`);
    return Number.isInteger(v) ? String(v) : `CAST(${v.toPrecision(17)} AS DOUBLE)`;
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  throw new EstimationError(`a fixed-effect level of an unsupported type (${Object.prototype.toString.call(v)}): make the variable a number or a string`);
}

/** True for a usable numeric value: not NULL and not NaN (DuckDB reads NaN from files; SQL-92 has none). */
export function present(expr: string): string {
  return `(${expr} IS NOT NULL AND NOT isnan(${expr}))`;
}

/** True for an infinite value (the in-memory engine refuses them). */
export function infinite(expr: string): string {
  return `isinf(${expr})`;
}

/** Number of distinct combinations of the expressions on rows where `cond` holds, approximately (HyperLogLog, within ~15 %). */
export function approxDistinct(exprs: string[], cond: string): string {
  const v = exprs.length === 1 ? exprs[0] : `(${exprs.join(', ')})`;
  return `approx_count_distinct(CASE WHEN ${cond} THEN ${v} END)`;
}

/** A value as DOUBLE. */
export function dbl(expr: string): string {
  return `CAST(${expr} AS DOUBLE)`;
}

/** A numeric constant written exactly (shortest round-trip decimal). */
export function numLit(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`non-finite constant ${x} in a SQL expression`);
  if (x === 0) return '0.0';
  return `CAST(${String(x)} AS DOUBLE)`;
}

/** A session-scoped table holding a query's rows (BigQuery: a temp table in a script; Snowflake: CREATE TEMPORARY TABLE). */
export function createTemp(name: string, query: string): string {
  return `CREATE TEMP TABLE ${name} AS ${query}`;
}

/** Number of distinct combinations of the columns (DuckDB compares row values; elsewhere count a grouped subquery). */
export function countDistinct(cols: string[]): string {
  return cols.length === 1 ? `COUNT(DISTINCT ${cols[0]})` : `COUNT(DISTINCT (${cols.join(', ')}))`;
}

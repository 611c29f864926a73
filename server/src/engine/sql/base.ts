// The estimation sample as a SQL relation: the model's columns under fixed aliases (y, x0.., w, g0..),
// rows with a missing value dropped, and singletons dropped iteratively as reghdfe (one materialised
// table per round that removes something; usually none does).
import { EstimationError } from '../types';
import type { SqlRunner } from './runner';
import { num } from './runner';
import { ident, present, infinite, approxDistinct, dbl, createTemp } from './dialect';
import { parseFactor, type SqlFactor, type SqlRegressionSpec } from './spec';

/** A factor over the base relation's aliased columns. */
export interface BaseFactor {
  name: string;
  cols: string[]; // aliases g0.. of its source columns
}

export interface BaseRelation {
  runner: SqlRunner;
  /** a FROM item (parenthesised query or table name) with columns y, x0.., w (when weighted), g0.. */
  from: string;
  p: number;
  weighted: boolean;
  fes: BaseFactor[];
  clusters: BaseFactor[];
  N: number;
  missingRemoved: number;
  singletonsRemoved: number;
  approxFeLevels: number[];
  approxCells: number; // distinct (regressors, FE, cluster) combinations, approximately
  /** unweighted means of y and the regressors (centring shifts against cancellation) */
  shiftY: number;
  shiftX: number[];
  /** temporary tables to drop when done */
  temps: string[];
}

let tempCounter = 0;
export function tempName(): string {
  return `__panelspec_sql_${process.pid}_${++tempCounter}`;
}

/** w*(e) when weighted, else (e). */
export function wmul(b: { weighted: boolean }, e: string): string {
  return b.weighted ? `w * (${e})` : `(${e})`;
}

/** The sum of weights (the row count when unweighted). */
export function sumW(b: { weighted: boolean }): string {
  return b.weighted ? 'SUM(w)' : 'CAST(COUNT(*) AS DOUBLE)';
}

export async function buildBase(runner: SqlRunner, relation: string, spec: SqlRegressionSpec, signal?: AbortSignal): Promise<BaseRelation> {
  const p = spec.regressors.length;
  const feF: SqlFactor[] = spec.absorb.map(parseFactor);
  const clF: SqlFactor[] = spec.vce.type === 'cluster' ? (spec.vce.clusters ?? []).map(parseFactor) : [];
  if (spec.vce.type === 'cluster' && clF.length === 0) throw new EstimationError('clustered standard errors need a cluster variable');
  const alias = new Map<string, string>();
  const partAlias = (c: string): string => {
    let a = alias.get(c);
    if (!a) alias.set(c, (a = `g${alias.size}`));
    return a;
  };
  const fes = feF.map((f) => ({ name: f.name, cols: f.parts.map(partAlias) }));
  const clusters = clF.map((f) => ({ name: f.name, cols: f.parts.map(partAlias) }));
  const sel = [`${dbl(ident(spec.depvar))} AS y`, ...spec.regressors.map((r, j) => `${dbl(ident(r))} AS x${j}`)];
  if (spec.weights) sel.push(`${dbl(ident(spec.weights))} AS w`);
  for (const [c, a] of alias) sel.push(`${ident(c)} AS ${a}`);
  const inner = `(SELECT ${sel.join(', ')} FROM ${relation}) AS src`;
  const conds = ['y', ...spec.regressors.map((_, j) => `x${j}`)].map(present);
  if (spec.weights) conds.push(`${present('w')} AND w > 0`);
  for (const a of alias.values()) conds.push(`${a} IS NOT NULL`);
  const cond = conds.join(' AND ');
  const infs = ['y', ...spec.regressors.map((_, j) => `x${j}`), ...(spec.weights ? ['w'] : [])].map((c) => infinite(c)).join(' OR ');
  const cellExprs = [...spec.regressors.map((_, j) => `x${j}`), ...alias.values()];
  const q = [
    'COUNT(*) AS total',
    `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS kept`,
    `SUM(CASE WHEN ${infs} THEN 1 ELSE 0 END) AS infinite`,
    spec.weights ? 'SUM(CASE WHEN w < 0 THEN 1 ELSE 0 END) AS negw' : '0 AS negw',
    `AVG(CASE WHEN ${cond} THEN y END) AS my`,
    ...spec.regressors.map((_, j) => `AVG(CASE WHEN ${cond} THEN x${j} END) AS mx${j}`),
    ...fes.map((f, q) => `${approxDistinct(f.cols, cond)} AS lv${q}`),
    `${cellExprs.length ? approxDistinct(cellExprs, cond) : '1'} AS cells`,
  ];
  const [r] = await runner.all(`SELECT ${q.join(', ')} FROM ${inner}`, { signal });
  if (num(r.infinite) > 0) {
    throw new EstimationError(`${num(r.infinite)} rows have an infinite value in ${[spec.depvar, ...spec.regressors, ...(spec.weights ? [spec.weights] : [])].join(', ')}`);
  }
  if (num(r.negw) > 0) throw new EstimationError(`weights must not be negative (${num(r.negw)} rows of ${spec.weights} are)`);
  const N = num(r.kept);
  if (!(N > 0)) throw new EstimationError('no observations: every row has a missing value or is excluded');
  return {
    runner,
    from: `(SELECT * FROM ${inner} WHERE ${cond})`,
    p,
    weighted: !!spec.weights,
    fes,
    clusters,
    N,
    missingRemoved: num(r.total) - N,
    singletonsRemoved: 0,
    approxFeLevels: fes.map((_, q) => num(r[`lv${q}`])),
    approxCells: num(r.cells),
    shiftY: num(r.my),
    shiftX: spec.regressors.map((_, j) => num(r[`mx${j}`])),
    temps: [],
  };
}

/**
 * One round of singleton removal: rows in a level with a single row of any FE go (all FEs counted on
 * the current rows, as singletons.ts). Returns the rows removed; the base then reads the new table.
 */
export async function dropSingletonRound(b: BaseRelation, signal?: AbortSignal): Promise<number> {
  const t = tempName();
  const counts = b.fes.map((f, q) => `COUNT(*) OVER (PARTITION BY ${f.cols.join(', ')}) AS __n${q}`);
  const keep = b.fes.map((_, q) => `__n${q} > 1`).join(' AND ');
  const cols = ['y', ...Array.from({ length: b.p }, (_, j) => `x${j}`), ...(b.weighted ? ['w'] : []), ...uniqueCols(b)];
  await b.runner.all(createTemp(t, `SELECT ${cols.join(', ')} FROM (SELECT *, ${counts.join(', ')} FROM ${b.from} AS s) AS c WHERE ${keep}`), { signal });
  b.temps.push(t);
  const [r] = await b.runner.all(`SELECT COUNT(*) AS n FROM ${t}`, { signal });
  const n = num(r.n);
  const removed = b.N - n;
  b.from = t;
  b.N = n;
  b.singletonsRemoved += removed;
  if (n === 0) throw new EstimationError('no observations left after dropping singleton groups');
  return removed;
}

function uniqueCols(b: BaseRelation): string[] {
  return [...new Set([...b.fes, ...b.clusters].flatMap((f) => f.cols))];
}

/** Drops the fit's temporary tables, also after a cancel (without the fit's signal) or a failed query. */
export async function dropTemps(b: BaseRelation): Promise<void> {
  for (const t of b.temps.splice(0)) {
    try {
      await b.runner.all(`DROP TABLE IF EXISTS ${t}`, { signal: undefined });
    } catch {
      // the connection is gone: its temporary tables went with it
    }
  }
}

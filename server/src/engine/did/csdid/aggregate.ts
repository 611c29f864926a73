// aggte's four summaries of the ATT(g,t) (R did 2.1.2 compute.aggte, na.rm = TRUE), each with its
// influence function: a weighted sum of the cells' influence functions plus, where the weights are
// cohort shares estimated from the data, the weights' own influence function ("wif").
//   simple:   post-treatment cells weighted by cohort share
//   event:    by e = t - g (every e, leads included), cohort-share weights; overall = mean over e >= 0
//   group:    by cohort, mean of its post-treatment cells; overall weighted by cohort share
//   calendar: by period, post-treatment cells of that period by cohort share; overall = mean over t
// Standard errors are left to the caller (analytic or bootstrap): this module yields estimates and
// influence functions only.
import { EstimationError } from '../../types';
import type { CellEstimate } from './attGt';

export interface Piece {
  att: number;
  inf: Float64Array;
}
export interface KeyedPiece extends Piece {
  key: number;
}
export interface Aggregation extends Piece {
  by: KeyedPiece[];
}
export interface Aggregations {
  simple: Piece;
  event: Aggregation;
  group: Aggregation;
  calendar: Aggregation;
}

interface Ctx {
  n: number;
  gOf: Float64Array;
  inf: Float64Array;
  /** indices of the cells kept (att not NA), in cell order */
  kept: number[];
  cells: CellEstimate[];
  /** cohort share P(G = g) over all units */
  share: Map<number, number>;
  /** aggte's min_e and max_e (-Inf, Inf by default) */
  minE: number;
  maxE: number;
}

/**
 * The influence function of estimated weights pg_k / sum(pg) applied to att_k (did's wif %*% att):
 * for a unit of cohort c it is A(c)/S - N(c) P / S^2, with A(c) the sum of att_k over the k whose
 * indicator group is c, N(c) their number, S = sum pg_k and P = sum pg_k att_k.
 */
function weightsInf(ctx: Ctx, indicatorGroup: number[], pg: number[], att: number[]): Float64Array {
  let S = 0;
  let P = 0;
  for (let k = 0; k < pg.length; k++) {
    S += pg[k];
    P += pg[k] * att[k];
  }
  const byCohort = new Map<number, number>();
  for (let k = 0; k < indicatorGroup.length; k++) {
    const g = indicatorGroup[k];
    byCohort.set(g, (byCohort.get(g) ?? 0) + att[k] / S - P / (S * S));
  }
  const out = new Float64Array(ctx.n);
  let lastG = NaN;
  let lastV = 0;
  for (let u = 0; u < ctx.n; u++) {
    const g = ctx.gOf[u];
    if (g !== lastG) {
      lastG = g;
      lastV = byCohort.get(g) ?? 0;
    }
    out[u] = lastV;
  }
  return out;
}

/** Cells `which` averaged with cohort-share weights, the weights' influence function included. */
function shareWeighted(ctx: Ctx, which: number[], withWif: boolean): Piece {
  const pg = which.map((c) => ctx.share.get(ctx.cells[c].group) as number);
  const att = which.map((c) => ctx.cells[c].att);
  const S = pg.reduce((a, b) => a + b, 0);
  const inf = withWif ? weightsInf(ctx, which.map((c) => ctx.cells[c].group), pg, att) : new Float64Array(ctx.n);
  let est = 0;
  for (let k = 0; k < which.length; k++) {
    const w = pg[k] / S;
    est += w * att[k];
    addScaled(inf, ctx.inf.subarray(which[k] * ctx.n, (which[k] + 1) * ctx.n), w);
  }
  return { att: est, inf };
}

function addScaled(acc: Float64Array, v: Float64Array, w: number): void {
  for (let u = 0; u < acc.length; u++) acc[u] += w * v[u];
}

/** Equal-weight mean of pieces (the overall event and calendar effects: no estimated weights). */
function meanOf(pieces: Piece[], n: number): Piece {
  const inf = new Float64Array(n);
  let att = 0;
  for (const p of pieces) {
    att += p.att / pieces.length;
    addScaled(inf, p.inf, 1 / pieces.length);
  }
  return { att, inf };
}

const sortedUnique = (v: number[]): number[] => [...new Set(v)].sort((a, b) => a - b);

function simple(ctx: Ctx): Piece {
  const post = ctx.kept.filter((c) => ctx.cells[c].group <= ctx.cells[c].time && ctx.cells[c].time <= ctx.cells[c].group + ctx.maxE);
  if (!post.length) throw new EstimationError('no post-treatment ATT(g,t) could be estimated');
  return shareWeighted(ctx, post, true);
}

function event(ctx: Ctx): Aggregation {
  const eOf = (c: number) => ctx.cells[c].time - ctx.cells[c].group;
  const eseq = sortedUnique(ctx.kept.map(eOf)).filter((e) => e >= ctx.minE && e <= ctx.maxE);
  if (!eseq.length) throw new EstimationError(`no ATT(g,t) with an event time in ${ctx.minE}..${ctx.maxE}`);
  const by = eseq.map((e) => ({ key: e, ...shareWeighted(ctx, ctx.kept.filter((c) => eOf(c) === e), true) }));
  const after = by.filter((p) => p.key >= 0);
  if (!after.length) throw new EstimationError('no post-treatment ATT(g,t) could be estimated');
  return { ...meanOf(after, ctx.n), by };
}

function group(ctx: Ctx): Aggregation {
  // cohorts with no estimable post-treatment cell leave the group summary (with their cells)
  const postOf = (g: number) => ctx.kept.filter((c) => ctx.cells[c].group === g && g <= ctx.cells[c].time && ctx.cells[c].time <= g + ctx.maxE);
  const glist = sortedUnique(ctx.kept.map((c) => ctx.cells[c].group)).filter((g) => postOf(g).length > 0);
  const cellGroups = ctx.kept.map((c) => ctx.cells[c].group).filter((g) => glist.includes(g));
  const by = glist.map((g) => {
    const which = postOf(g);
    const p = shareWeighted(ctx, which, false);
    // did takes the plain mean of the cohort's cells (its weights are equal anyway)
    return { key: g, att: which.reduce((a, c) => a + ctx.cells[c].att, 0) / which.length, inf: p.inf };
  });
  const pgg = glist.map((g) => ctx.share.get(g) as number);
  const S = pgg.reduce((a, b) => a + b, 0);
  const att = by.reduce((a, p, k) => a + (p.att * pgg[k]) / S, 0);
  // did 2.1.2 passes the cells' group vector, not the cohort list, to wif here: the indicator of
  // weight k is "unit in the cohort of cell k" (fixed in later did versions); kept to match 2.1.2
  const inf = weightsInf(ctx, cellGroups.slice(0, glist.length), pgg, by.map((p) => p.att));
  by.forEach((p, k) => addScaled(inf, p.inf, pgg[k] / S));
  return { att, inf, by };
}

function calendar(ctx: Ctx): Aggregation {
  const minG = Math.min(...ctx.kept.map((c) => ctx.cells[c].group));
  const periods = sortedUnique(ctx.kept.map((c) => ctx.cells[c].time)).filter((t) => t >= minG);
  // a period whose post-treatment cells are all NA has nothing to average (R would report 0)
  const cellsAt = (t: number) => ctx.kept.filter((c) => ctx.cells[c].time === t && ctx.cells[c].group <= t);
  const by = periods.filter((t) => cellsAt(t).length > 0).map((t) => ({ key: t, ...shareWeighted(ctx, cellsAt(t), true) }));
  return { ...meanOf(by, ctx.n), by };
}

export function aggregate(cells: CellEstimate[], inf: Float64Array, n: number, gOf: Float64Array, window = { min: -Infinity, max: Infinity }): Aggregations {
  const kept = cells.map((_, c) => c).filter((c) => !Number.isNaN(cells[c].att));
  const share = new Map<number, number>();
  for (const c of kept) share.set(cells[c].group, 0);
  for (let u = 0; u < n; u++) if (share.has(gOf[u])) share.set(gOf[u], (share.get(gOf[u]) as number) + 1);
  for (const [g, s] of share) share.set(g, s / n);
  const ctx: Ctx = { n, gOf, inf, kept, cells, share, minE: window.min, maxE: window.max };
  return { simple: simple(ctx), event: event(ctx), group: group(ctx), calendar: calendar(ctx) };
}

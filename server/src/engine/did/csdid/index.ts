// Callaway and Sant'Anna (2021) as R did 2.1.2: att_gt (panel, balanced) then aggte's simple,
// dynamic, group and calendar summaries with na.rm = TRUE. Standard errors from the influence
// functions (bstrap = FALSE) or, with `bootstrap`, from did's multiplier bootstrap with uniform bands.
import { computeAttGt } from './attGt';
import { aggregate, type Aggregation, type Piece } from './aggregate';
import { MultiplierBootstrap } from './bootstrap';
import { buildPanel } from './panel';
import { waldPretest } from './pretest';
import type { Aggregate, AttGtCell, CsdidEstimate, CsdidInput, CsdidOptions } from './types';

export type * from './types';

const TINY = Math.sqrt(2.220446049250313e-16) * 10; // did: se <= sqrt(eps) * 10 is reported as NA
const Z975 = 1.959963984540054;

/** did's getSE without the bootstrap: sqrt(mean(IF^2) / n). */
function analyticSe(inf: Float64Array): number | null {
  let ss = 0;
  for (let u = 0; u < inf.length; u++) ss += inf[u] * inf[u];
  const se = Math.sqrt(ss) / inf.length;
  return se > TINY ? se : null;
}

const nonTiny = (se: number | null): number | null => (se !== null && se > TINY ? se : null);

/** aggte's checks on a band's critical value: fall back to the pointwise normal one. */
function usableCrit(c: number): number {
  return Number.isFinite(c) && c >= Z975 ? c : Z975;
}

export function estimateCsdid(input: CsdidInput, opts: CsdidOptions): CsdidEstimate {
  const panel = buildPanel(input, opts.control, opts.anticipation);
  const { n } = panel;
  const warnings = [...panel.warnings];
  const { cells, inf, warnings: cellWarnings } = computeAttGt(panel, opts);
  warnings.push(...cellWarnings);
  const column = (c: number) => inf.subarray(c * n, (c + 1) * n);
  const analytic = cells.map((c, k) => (c.reference || Number.isNaN(c.att) ? null : analyticSe(column(k))));

  const boot = opts.bootstrap ? new MultiplierBootstrap(n, opts.bootstrap.reps, opts.bootstrap.seed, panel.clusterOf, panel.nClusters) : null;
  if (input.cluster && !boot && panel.nClusters < n)
    warnings.push(`cluster(${input.cluster.name}) is used by the bootstrap only (wboot), as in R: these analytic errors are clustered by unit`);
  let cellSe = analytic;
  let cellCrit = Z975;
  if (boot) {
    const live = cells.map((_, k) => k).filter((k) => !Number.isNaN(cells[k].att));
    const b = boot.run(live.map(column));
    cellSe = analytic.map((se) => se);
    live.forEach((k, j) => {
      if (analytic[k] !== null) cellSe[k] = nonTiny(b.se[j]);
    });
    cellCrit = Number.isFinite(b.crit) ? b.crit : Z975;
  }

  const pre = cells.map((_, k) => k).filter((k) => cells[k].group > cells[k].time && analytic[k] !== null);
  const pretrend = waldPretest(pre, cells.map((c) => c.att), inf, n);

  const agg = aggregate(cells, inf, n, panel.gOf, opts.eventWindow);
  const seOf = (p: Piece): number | null => (boot ? nonTiny(boot.run([p.inf]).se[0]) : analyticSe(p.inf));
  const summary = (a: Aggregation): Aggregate => {
    const by = a.by.map((p) => ({ key: p.key, att: p.att, se: seOf(p) }));
    const crit = boot ? usableCrit(boot.run(a.by.map((p) => p.inf)).crit) : Z975;
    return { att: a.att, se: seOf(a), by, crit };
  };
  const outCells: AttGtCell[] = cells.map((c, k) => ({
    group: c.group,
    time: c.time,
    att: Number.isNaN(c.att) ? null : c.att,
    se: cellSe[k],
    post: c.post,
  }));
  return {
    nUnits: n,
    periods: [...panel.periods],
    cohorts: panel.cohorts,
    cells: outCells,
    cellCrit,
    simple: { att: agg.simple.att, se: seOf(agg.simple) },
    event: summary(agg.event),
    group: summary(agg.group),
    calendar: summary(agg.calendar),
    pretrend,
    warnings,
    bootstrap: boot && opts.bootstrap ? { reps: opts.bootstrap.reps, seed: opts.bootstrap.seed, clusters: boot.nClusters } : null,
  };
}

// Heterogeneity-robust DID commands: did_imputation, bacondecomp, and eventstudy's estimator(sunab)
// and estimator(bjs). Each reads its variables and options into the engine's input (engine/did) and
// reports the results in the shapes of CONTRACT.md.
import { effectRow, BJS_Z, runBacon, runImputation, runSunAb, type ImputationResult } from '../../engine/did';
import { neverTreated, relativePeriod, lastPeriod } from '../../engine/did/cohorts';
import { eventTermName } from '../../engine/study/eventstudy';
import type { EstimationCore, Factor, RegressionInput } from '../../engine/types';
import type { BaconResultJson, CoefRow, EstimationResult } from '../../results/types';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { factorOf, numericValues } from '../design';
import { RunError } from '../errors';
import { Options } from '../options';
import { expandVarlist, itemName, type ListItem, type VarItem } from '../varlist';
import { bodyTerms } from './common';
import { depvarFrom, fixedEffectsFrom } from './model';
import type { EventSetup } from './eventstudy';

/** Engine errors (EstimationError) become run-time errors at the command name. */
function engine<T>(ctx: CommandContext, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as Error;
    if (err?.name === 'EstimationError') throw new RunError(err.message, ctx.command.nameRange, 'estimation');
    throw e;
  }
}

function panelVar(ctx: CommandContext, name: string): VarItem {
  return { kind: 'var', name, factor: false, continuous: false, range: ctx.command.nameRange };
}

function plainVar(item: ListItem, role: string): VarItem {
  if (item.kind !== 'var' || item.factor) throw new RunError(`${role} must be a plain variable`, item.range);
  return item;
}

/** cluster(VAR): one variable (the imputation's variance sums over one level of clustering). */
function oneCluster(ctx: CommandContext, opts: Options, dflt: Factor | null, what: string): Factor {
  if (opts.has('vce') || opts.has('robust')) throw new RunError(`${what} clusters its standard errors: use cluster(VAR)`, opts.range(opts.has('vce') ? 'vce' : 'robust'));
  if (!opts.has('cluster')) {
    if (!dflt) throw new RunError(`${what} needs cluster(VAR), or xtset UNIT TIME for clustering by unit`, ctx.command.nameRange);
    return dflt;
  }
  const items = expandVarlist(opts.terms('cluster'), ctx.session, { allowFactor: true });
  if (items.length !== 1) throw new RunError(`${what} takes one cluster variable`, opts.range('cluster'));
  return factorOf(ctx.session, items[0]);
}

/** The estimation result of an imputation run (did_imputation's table: tau.., then pre1..preK). */
function imputationResult(
  ctx: CommandContext,
  r: ImputationResult,
  depvar: string,
  fes: Factor[],
  cluster: Factor,
  extra: Record<string, unknown>,
): EstimationResult {
  const coefficients: CoefRow[] = (r.horizons.length ? r.horizons : [r.static]).map(effectRow);
  const omitted = r.empty_horizons.map((k) => ({ term: `tau${k}`, reason: 'no observations' }));
  if (r.pretrend_fit) {
    // lead rows are the lead regression's (t-based p); intervals -/+ 1.96 se as didimputation's table prints them
    for (const c of r.pretrend_fit.coefficients) coefficients.push({ ...c, ci_low: c.estimate - BJS_Z * c.se, ci_high: c.estimate + BJS_Z * c.se });
    omitted.push(...r.pretrend_fit.omitted);
  }
  const fs = r.first_stage;
  return {
    kind: 'estimation',
    command: ctx.canonical,
    name: null,
    line: ctx.line,
    depvar,
    nobs: r.nobs,
    df_resid: fs.nobs - fs.k,
    r2: fs.r2,
    adj_r2: fs.adj_r2,
    r2_within: null,
    rmse: fs.rmse,
    ssr: fs.ssr,
    df_t: r.n_clusters - 1,
    df_k: fs.k,
    vcov: { type: 'cluster', clusters: [cluster.name], n_clusters: [r.n_clusters] },
    fixed_effects: fes.map((f, q) => ({ name: f.name, levels: fs.levels[q] })),
    singletons_removed: 0,
    coefficients,
    omitted,
    warnings: r.warnings,
    n_treated: r.n_treated,
    n_untreated: r.n_untreated,
    untreated_fit: { nobs: fs.nobs, r2: fs.r2, ssr: fs.ssr }, // the FE fit on untreated rows that imputes Y(0)
    ...extra,
    seconds: 0,
  };
}

/** did_imputation DEPVAR UNIT TIME ADOPTVAR [if] [, horizons(LO HI) pretrends(K) fe() cluster()] */
export function cmdDidImputation(ctx: CommandContext, store: (r: EstimationResult) => void): void {
  const session = ctx.session;
  const opts = new Options(ctx.command);
  const items = expandVarlist(bodyTerms(ctx), session, { allowFactor: true });
  let depItem: ListItem;
  let unitItem: VarItem;
  let timeItem: VarItem;
  let adoptItem: VarItem;
  if (items.length === 4) {
    depItem = items[0];
    unitItem = plainVar(items[1], 'UNIT');
    timeItem = plainVar(items[2], 'TIME');
    adoptItem = plainVar(items[3], 'ADOPTVAR');
  } else if (items.length === 2 && session.panel) {
    depItem = items[0];
    unitItem = panelVar(ctx, session.panel.unit);
    timeItem = panelVar(ctx, session.panel.time);
    adoptItem = plainVar(items[1], 'ADOPTVAR');
  } else {
    throw new RunError(
      `did_imputation DEPVAR UNIT TIME ADOPTVAR: expected four variables, found ${items.length}${items.length === 2 ? ' (DEPVAR ADOPTVAR alone needs xtset UNIT TIME first)' : ''}`,
      items[4]?.range ?? ctx.command.nameRange,
    );
  }
  const depvar = depvarFrom(ctx, depItem);
  const unit = factorOf(session, unitItem);
  const time = numericValues(session, timeItem);
  const adopt = numericValues(session, adoptItem);
  const fes = opts.has('fe') ? fixedEffectsFrom(ctx, opts.terms('fe')) : [unit, factorOf(session, timeItem)];
  const cluster = oneCluster(ctx, opts, unit, 'did_imputation');
  let horizons: { lo: number; hi: number } | null = null;
  const h = opts.numbers('horizons');
  if (h) {
    if (h.length !== 2) throw new RunError('horizons(LO HI) needs two numbers', opts.range('horizons'));
    horizons = { lo: h[0], hi: h[1] };
  }
  const K = opts.number('pretrends', 0) as number;
  if (!Number.isInteger(K) || K < 0) throw new RunError('pretrends(K) needs a whole number of leads, 0 or more', opts.range('pretrends'));
  const r = engine(ctx, () =>
    runImputation({ depvar, time, adopt, fixedEffects: fes, cluster, sample: ifMask(ctx), horizons, pretrends: K }),
  );
  const extra: Record<string, unknown> = { unit: unitItem.name, time: itemName(timeItem), treat: itemName(adoptItem), horizons: horizons ? [horizons.lo, horizons.hi] : null };
  if (r.pretrend_test) extra.pretrend = { ...r.pretrend_test };
  store(imputationResult(ctx, r, depvar.name, fes, cluster, extra));
}

/** eventstudy ..., estimator(sunab): fixest's sunab() over window() (default: every relative period). */
export function eventstudySunab(ctx: CommandContext, input: RegressionInput, setup: EventSetup): EstimationCore & Record<string, unknown> {
  const core = engine(ctx, () =>
    runSunAb({
      base: input,
      time: setup.time,
      adopt: setup.adopt,
      ref: setup.window.ref,
      window: setup.windowGiven ? { lo: setup.window.lo, hi: setup.window.hi } : undefined,
    }),
  );
  const ks = core.event_time.map((e) => e.k);
  return {
    ...core,
    estimator: 'sunab',
    att: { ...core.att },
    ref: setup.window.ref,
    window: [Math.min(...ks), Math.max(...ks)],
    treat: setup.adoptName,
  };
}

/** The relative periods a window defaults to for bjs: leads every untreated row of an adopting cohort reaches, horizons every treated row reaches. */
function bjsDefaultWindow(setup: EventSetup, sample: Uint8Array): { lo: number; hi: number } {
  const last = lastPeriod(setup.time, sample);
  const leads = new Set<number>();
  let hi = -Infinity;
  for (let i = 0; i < setup.time.length; i++) {
    const a = setup.adopt[i];
    if (!sample[i] || neverTreated(a) || a > last) continue;
    const k = relativePeriod(setup.time[i], a);
    if (Number.isNaN(k)) continue;
    if (k < 0) leads.add(k);
    else hi = Math.max(hi, k);
  }
  let lo = 0;
  while (leads.has(lo - 1)) lo--;
  return { lo, hi };
}

/** eventstudy ..., estimator(bjs): did_imputation with horizons(0 HI) and pretrends(-LO). */
export function eventstudyBjs(ctx: CommandContext, opts: Options, depvar: { name: string; values: Float64Array }, controls: number, fes: Factor[], setup: EventSetup): EstimationResult {
  if (controls > 0) throw new RunError('estimator(bjs) takes no control variables: the imputation fits the fixed effects alone', ctx.command.nameRange);
  if (ctx.command.weight) throw new RunError('estimator(bjs) does not take weights', ctx.command.weight.typeRange);
  const session = ctx.session;
  const unit = setup.unitName ? factorOf(session, panelVar(ctx, setup.unitName)) : null;
  const cluster = oneCluster(ctx, opts, unit, 'estimator(bjs)');
  const sample = ifMask(ctx);
  const win = setup.windowGiven ? { lo: setup.window.lo, hi: setup.window.hi } : bjsDefaultWindow(setup, sample);
  if (win.hi < 0) throw new RunError(`estimator(bjs): window(${win.lo} ${win.hi}) has no post-treatment period (the imputation estimates horizons 0 and later)`, opts.has('window') ? opts.range('window') : ctx.command.nameRange);
  const r = engine(ctx, () =>
    runImputation({
      depvar, time: setup.time, adopt: setup.adopt, fixedEffects: fes, cluster, sample,
      horizons: { lo: Math.max(0, win.lo), hi: win.hi }, pretrends: Math.max(0, -win.lo),
    }),
  );
  // rows of the event-time table: leads from the lead regression, horizons from the imputation; a lead
  // dropped as collinear (when the leads span every pre-period) is the reference, at 0
  const rows: { k: number; row: CoefRow }[] = [];
  for (const h of r.horizons) rows.push({ k: h.k!, row: { ...effectRow(h), term: eventTermName(h.k!) } });
  let ref: number | null = null;
  if (r.pretrend_fit) {
    for (const c of r.pretrend_fit.coefficients) {
      const k = -Number(c.term.slice(3));
      rows.push({ k, row: { ...c, term: eventTermName(k), ci_low: c.estimate - BJS_Z * c.se, ci_high: c.estimate + BJS_Z * c.se } });
    }
    const dropped = r.pretrend_fit.omitted.map((o) => -Number(o.term.slice(3)));
    if (dropped.length) ref = Math.max(...dropped);
  }
  rows.sort((a, b) => a.k - b.k);
  const event_time = rows.map(({ k, row }) => ({ k, estimate: row.estimate, se: row.se, ci_low: row.ci_low, ci_high: row.ci_high, term: row.term }));
  if (ref !== null) {
    event_time.push({ k: ref, estimate: 0, se: 0, ci_low: 0, ci_high: 0, term: eventTermName(ref) });
    event_time.sort((a, b) => a.k - b.k);
  }
  const st = effectRow(r.static);
  const base = imputationResult(ctx, r, depvar.name, fes, cluster, {});
  const warnings = [...((base.warnings as string[] | undefined) ?? [])];
  if (opts.has('ref')) warnings.push('ref() is not used by estimator(bjs): the leads are measured against never-treated rows and rows before the window');
  const pt = r.pretrend_test;
  const leads = rows.filter((x) => x.k < 0).map((x) => x.k);
  return {
    ...base,
    coefficients: rows.map((x) => x.row),
    omitted: [
      ...r.empty_horizons.map((k) => ({ term: eventTermName(k), reason: 'no observations' })),
      ...(r.pretrend_fit?.omitted ?? []).map((o) => ({ term: eventTermName(-Number(o.term.slice(3))), reason: o.reason })),
    ],
    warnings,
    estimator: 'bjs',
    event_time,
    att: { estimate: st.estimate, se: st.se, t: st.t, p: st.p, ci_low: st.ci_low, ci_high: st.ci_high },
    pretrend_test: pt ? { stat: pt.f, df1: pt.df, df2: pt.df2, p: pt.p, leads } : undefined,
    ref,
    window: [win.lo, win.hi],
    treat: setup.adoptName,
  };
}

/** bacondecomp DEPVAR TREAT [if] (xtset UNIT TIME; balanced panel) */
export function cmdBacondecomp(ctx: CommandContext): void {
  const session = ctx.session;
  const items = expandVarlist(bodyTerms(ctx), session);
  if (items.length !== 2) throw new RunError(`bacondecomp DEPVAR TREAT: expected two variables, found ${items.length}`, items[2]?.range ?? ctx.command.nameRange);
  const panel = session.panel;
  if (!panel) throw new RunError('bacondecomp needs the panel: xtset UNIT TIME first', ctx.command.nameRange);
  const y = depvarFrom(ctx, items[0]);
  const treatItem = plainVar(items[1], 'TREAT');
  const treat = numericValues(session, treatItem);
  const time = numericValues(session, panelVar(ctx, panel.time));
  const unit = unitOrderKeys(ctx, panel.unit);
  const r = engine(ctx, () =>
    runBacon({ y: y.values, treat, unit, time, sample: ifMask(ctx), names: { y: y.name, treat: itemName(treatItem), unit: panel.unit, time: panel.time } }),
  );
  const types = [...new Set(r.two_by_twos.map((p) => p.type))].sort();
  const by_type = types.map((type) => {
    const ps = r.two_by_twos.filter((p) => p.type === type);
    const w = ps.reduce((s, p) => s + p.weight, 0);
    return { type, weight: w, avg_estimate: ps.reduce((s, p) => s + p.weight * p.estimate, 0) / w };
  });
  const result: BaconResultJson = {
    kind: 'bacon',
    depvar: y.name,
    treat: itemName(treatItem),
    twfe: r.twfe,
    nobs: r.nobs,
    n_units: r.n_units,
    n_periods: r.n_periods,
    two_by_twos: r.two_by_twos,
    by_type,
    seconds: 0,
  };
  ctx.emit(result);
}

/** Unit keys that sort as bacondecomp's merge by id sorts: numbers as numbers, strings alphabetically. */
function unitOrderKeys(ctx: CommandContext, name: string): Float64Array {
  const c = ctx.session.requireData().get(name);
  if (!c) throw new RunError(`xtset variable ${name} not found`, ctx.command.nameRange);
  if (c.kind === 'numeric') return c.values;
  const rank = c.levels.map((l, j) => ({ l, j })).sort((a, b) => (a.l < b.l ? -1 : a.l > b.l ? 1 : 0));
  const pos = new Float64Array(c.levels.length);
  rank.forEach(({ j }, r) => (pos[j] = r));
  return Float64Array.from(c.codes, (k) => (k < 0 ? NaN : pos[k]));
}

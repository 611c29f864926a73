// Regression commands: reg, reghdfe, did, ivreghdfe, eventstudy. Each builds a RegressionInput,
// calls the engine, and reports an `estimation` result in the shape of CONTRACT.md.
import type { Term } from '../../../../grammar/src/ast';
import { estimate } from '../../engine/estimate';
import { estimateIV } from '../../engine/iv/estimateIV';
import { runEventStudy } from '../../engine/study/eventstudy';
import type { EstimationCore, RegressionInput } from '../../engine/types';
import type { EstimationResult } from '../../results/types';
import type { CommandContext } from '../context';
import { regressorColumns } from '../design';
import { atCommand, RunError } from '../errors';
import { Options } from '../options';
import { expandVarlist, itemName, type ListItem } from '../varlist';
import { treatmentInfo } from './treatment';
import { bodyTerms } from './common';
import { baseInput, depvarFrom, fixedEffectsFrom } from './model';
import { eventSetup } from './eventstudy';
import { cmdEventstudyCs } from './eventstudyCs';
import { cmdDidImputation as didImputation, eventstudyBjs, eventstudySunab } from './hrdid';

/** Turns the engine's output into the contract's estimation result (the sample rows and residuals stay behind). */
export function toResult(core: EstimationCore, command: string, name: string | null, line: number): EstimationResult {
  const { sampleRows: _s, residuals: _r, vcov, vcovType, clusters, n_clusters, tss: _t, dkraay, ...rest } = core;
  return {
    kind: 'estimation',
    command,
    name,
    line,
    ...rest,
    // Driscoll-Kraay: { type: "dkraay", lags, time, periods } beside the usual (empty) cluster fields
    vcov: { type: vcovType, clusters, n_clusters, ...dkraay },
    vcov_matrix: vcov,
    seconds: 0,
  };
}

/** eststo NAME: gives NAME; eststo: alone gives est1, est2 ...; no eststo: unnamed. */
export function modelName(ctx: CommandContext): string | null {
  if (!ctx.eststo) return null;
  return ctx.eststo.name ?? ctx.session.autoName();
}

/** Runs the engine, turning its errors into messages at the command. */
export function runEngine(ctx: CommandContext, input: RegressionInput, iv: boolean): EstimationCore {
  return atCommand(ctx.command.nameRange, () => (iv ? estimateIV(input) : estimate(input)));
}

function emitModel(ctx: CommandContext, core: EstimationCore, name: string | null, extra: Partial<EstimationResult> = {}, input?: RegressionInput): EstimationResult {
  return emitEstimation(ctx, { ...toResult(core, ctx.canonical, name, ctx.line), ...extra }, name, input);
}

/** Emits an estimation result (with variable labels) and stores it as the current model. */
function emitEstimation(ctx: CommandContext, built: EstimationResult, name: string | null, input?: RegressionInput): EstimationResult {
  const result: EstimationResult = { ...built, name };
  const labels = labelsFor(ctx, result);
  if (labels) result.labels = labels;
  const recorded = ctx.emit(result);
  ctx.session.storeModel(recorded, name);
  // boottest re-prepares the model from its input (OLS models only)
  if (input) ctx.session.modelInputs.set(recorded, input);
  return recorded;
}

function labelsFor(ctx: CommandContext, r: EstimationResult): Record<string, string> | undefined {
  const table = ctx.session.requireData();
  const out: Record<string, string> = {};
  for (const t of [r.depvar, ...r.coefficients.map((c) => c.term), ...r.fixed_effects.map((f) => f.name)]) {
    const l = table.get(t)?.label;
    if (l) out[t] = l;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The RegressionInput of `reg DEPVAR VARLIST [if] [aw=] [, vce(...)]` (used by ritest too). */
export function regInput(ctx: CommandContext): RegressionInput {
  const opts = new Options(ctx.command);
  const items = expandVarlist(bodyTerms(ctx), ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, items[0]);
  const regs = regressorColumns(ctx.session, items.slice(1));
  const fes = opts.has('absorb') ? fixedEffectsFrom(ctx, opts.terms('absorb')) : [];
  const { input } = baseInput(ctx, opts, depvar, regs, fes, fes.length === 0 && !opts.has('noconstant'));
  input.dropSingletons = false; // areg/reg keep singletons
  return input;
}

/**
 * xtreg DEPVAR VARLIST [if] [aw=], fe [vce(...)]: Stata's within estimator is reghdfe absorbing the
 * xtset panel variable with singletons kept (xtreg keeps one-observation panels); xtreg's
 * vce(robust) is clustered by the panel, so it becomes vce(cluster PANEL) here.
 */
export function cmdXtreg(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  if (!opts.has('fe')) throw new RunError('xtreg: only the fixed-effects estimator is available: write `xtreg DEPVAR VARLIST, fe`', ctx.command.nameRange);
  const panel = ctx.session.panel;
  if (!panel) throw new RunError('xtreg needs `xtset UNIT [TIME]` above: the panel variable is the fixed effect', ctx.command.nameRange);
  const items = expandVarlist(bodyTerms(ctx), ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, items[0]);
  const regs = regressorColumns(ctx.session, items.slice(1));
  const fes = fixedEffectsFrom(ctx, [{ kind: 'var', name: panel.unit, range: ctx.command.nameRange, nameRange: ctx.command.nameRange, wildcard: false }]);
  const { input } = baseInput(ctx, opts, depvar, regs, fes, false);
  if (input.vcov.type === 'robust') input.vcov = { type: 'cluster', clusters: [fes[0]] };
  input.dropSingletons = false;
  emitModel(ctx, runEngine(ctx, input, false), modelName(ctx));
}

/** reg DEPVAR VARLIST [if] [aw=] [, vce(...)] */
export function cmdReg(ctx: CommandContext): void {
  const input = regInput(ctx);
  emitModel(ctx, runEngine(ctx, input, false), modelName(ctx), {}, input);
}

/** The RegressionInput of `reghdfe DEPVAR VARLIST [if] [aw=], absorb(VARLIST) [vce(...)]`. */
export function reghdfeInput(ctx: CommandContext): RegressionInput {
  const opts = new Options(ctx.command);
  const items = expandVarlist(bodyTerms(ctx), ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, items[0]);
  const regs = regressorColumns(ctx.session, items.slice(1));
  const feTerms = opts.has('absorb') ? opts.terms('absorb') : opts.terms('fe');
  if (!feTerms.length && !opts.has('noabsorb')) throw new RunError('reghdfe needs absorb(VARLIST) (or noabsorb)', ctx.command.nameRange);
  const fes = fixedEffectsFrom(ctx, feTerms);
  return baseInput(ctx, opts, depvar, regs, fes, fes.length === 0).input;
}

/** reghdfe DEPVAR VARLIST [if] [aw=], absorb(VARLIST) [vce(...)] */
export function cmdReghdfe(ctx: CommandContext): void {
  const input = reghdfeInput(ctx);
  emitModel(ctx, runEngine(ctx, input, false), modelName(ctx), {}, input);
}

/** The outcome list of `did`: one variable, or (y1 y2 y3) for one model per outcome. */
function outcomes(ctx: CommandContext, first: Term | undefined): ListItem[] {
  if (!first) throw new RunError('did DEPVAR TREAT [CONTROLS], fe(VARLIST)', ctx.command.nameRange);
  if (first.kind === 'paren') {
    if (first.rhs) throw new RunError('did: write several outcomes as (y1 y2 y3)', first.range);
    return expandVarlist(first.terms, ctx.session);
  }
  return expandVarlist([first], ctx.session);
}

export interface DidSpec {
  outcomes: ListItem[];
  rhs: ListItem[]; // TREAT first, then controls
  opts: Options;
}

export function readDid(ctx: CommandContext, command = ctx.command): DidSpec {
  const opts = new Options(command);
  const terms = command.body.kind === 'terms' ? command.body.terms : [];
  const outs = outcomes(ctx, terms[0]);
  const rhs = expandVarlist(terms.slice(1), ctx.session, { allowFactor: true });
  if (!rhs.length) throw new RunError('did needs a treatment variable after the outcome', command.nameRange);
  return { outcomes: outs, rhs, opts };
}

/** The RegressionInput of one did outcome (used by placebo too). */
export function didInput(ctx: CommandContext, spec: DidSpec, outcome: ListItem): RegressionInput {
  const feTerms = spec.opts.has('fe') ? spec.opts.terms('fe') : spec.opts.terms('absorb');
  const fes = feTerms.length ? fixedEffectsFrom(ctx, feTerms) : defaultPanelFe(ctx);
  const depvar = depvarFrom(ctx, outcome);
  const regs = regressorColumns(ctx.session, spec.rhs);
  return baseInput(ctx, spec.opts, depvar, regs, fes, fes.length === 0).input;
}

/** Without fe(), did absorbs the xtset unit and time (two-way fixed effects). */
function defaultPanelFe(ctx: CommandContext) {
  const p = ctx.session.panel;
  if (!p) throw new RunError('did needs fe(VARLIST), or xtset UNIT TIME for unit and time fixed effects', ctx.command.nameRange);
  return fixedEffectsFrom(ctx, [
    { kind: 'var', name: p.unit, range: ctx.command.nameRange, nameRange: ctx.command.nameRange, wildcard: false },
    { kind: 'var', name: p.time, range: ctx.command.nameRange, nameRange: ctx.command.nameRange, wildcard: false },
  ]);
}

/** did DEPVAR TREAT [VARLIST] [if], fe(VARLIST) [cluster(VARLIST)] [robust] */
export function cmdDid(ctx: CommandContext): void {
  const spec = readDid(ctx);
  const multi = spec.outcomes.length > 1;
  const base = multi ? null : modelName(ctx);
  for (const outcome of spec.outcomes) {
    const input = didInput(ctx, spec, outcome);
    const name = multi ? (ctx.eststo?.name ? `${ctx.eststo.name}_${input.depvar.name}` : ctx.session.autoName()) : base;
    const core = runEngine(ctx, input, false);
    emitModel(ctx, core, name, didTreatment(ctx, spec, core), input);
  }
}

/** The `treatment` field of a did result (none when TREAT is not a plain variable). */
function didTreatment(ctx: CommandContext, spec: DidSpec, core: EstimationCore): Pick<EstimationResult, 'treatment'> {
  const treat = spec.rhs[0];
  if (treat.kind !== 'var' || treat.factor) return {};
  const feTerms = spec.opts.has('fe') ? spec.opts.terms('fe') : spec.opts.terms('absorb');
  const info = treatmentInfo(ctx.session, itemName(treat), feTerms, core.sampleRows);
  return info ? { treatment: info } : {};
}

/** ivreghdfe DEPVAR [VARLIST] (ENDOG = INSTRUMENTS) [VARLIST] [if], absorb(VARLIST) [cluster(VARLIST)] */
export function cmdIvreghdfe(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const terms = bodyTerms(ctx);
  const parens = terms.filter((t) => t.kind === 'paren' && t.rhs);
  if (parens.length !== 1) throw new RunError('ivreghdfe needs one (ENDOGENOUS = INSTRUMENTS) group', ctx.command.range);
  const p = parens[0] as Extract<Term, { kind: 'paren' }>;
  const before = terms.slice(0, terms.indexOf(p));
  const after = terms.slice(terms.indexOf(p) + 1);
  const lhs = expandVarlist(before, ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, lhs[0]);
  const exog = regressorColumns(ctx.session, [...lhs.slice(1), ...expandVarlist(after, ctx.session, { allowFactor: true })]);
  const endog = regressorColumns(ctx.session, expandVarlist(p.terms, ctx.session));
  const instr = regressorColumns(ctx.session, expandVarlist(p.rhs ?? [], ctx.session, { allowFactor: true }));
  if (!endog.length) throw new RunError('no endogenous variable before = in the parentheses', p.range);
  if (instr.length < endog.length) throw new RunError(`equation not identified: ${endog.length} endogenous variable(s) but ${instr.length} instrument(s)`, p.range);
  const feTerms = opts.has('absorb') ? opts.terms('absorb') : opts.terms('fe');
  const fes = fixedEffectsFrom(ctx, feTerms);
  const { input } = baseInput(ctx, opts, depvar, exog, fes, fes.length === 0);
  input.endogenous = endog;
  input.instruments = instr;
  emitModel(ctx, runEngine(ctx, input, true), modelName(ctx));
}

/** eventstudy DEPVAR [VARLIST] [if], treat(ADOPT) window(LO HI) ref(K) fe(VARLIST) [cluster(VARLIST)] */
export function cmdEventstudy(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const estimator = opts.keyword('estimator', 'twfe');
  if (estimator === 'cs') return cmdEventstudyCs(ctx, opts, modelName(ctx));
  const items = expandVarlist(bodyTerms(ctx), ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, items[0]);
  const setup = eventSetup(ctx, opts);
  const controls = regressorColumns(ctx.session, items.slice(1));
  const feTerms = opts.has('fe') ? opts.terms('fe') : opts.terms('absorb');
  const fes = feTerms.length ? fixedEffectsFrom(ctx, feTerms) : defaultPanelFe(ctx);
  if (estimator === 'bjs') {
    emitEstimation(ctx, eventstudyBjs(ctx, opts, depvar, controls.length, fes, setup), modelName(ctx));
    return;
  }
  const { input } = baseInput(ctx, opts, depvar, controls, fes, fes.length === 0);
  if (estimator === 'sunab') {
    emitModel(ctx, eventstudySunab(ctx, input, setup), modelName(ctx));
    return;
  }
  let fitted: RegressionInput | undefined;
  const core = atCommand(ctx.command.nameRange, () =>
    runEventStudy({ base: input, time: setup.time, adopt: setup.adopt, window: setup.window }, (r) => {
      fitted = r; // the model with its event-time dummies, for boottest after it
      return runEngine(ctx, r, false);
    }),
  );
  if (setup.clipped) core.warnings.push(setup.clipped);
  emitModel(ctx, core, modelName(ctx), { estimator: 'twfe', ref: setup.window.ref, window: [setup.window.lo, setup.window.hi], treat: setup.adoptName }, fitted);
}

/** did_imputation DEPVAR UNIT TIME ADOPTVAR [if] [, horizons(LO HI) pretrends(K) fe() cluster()] */
export function cmdDidImputation(ctx: CommandContext): void {
  didImputation(ctx, (r) => emitEstimation(ctx, r, modelName(ctx)));
}

// The staggered-adoption note on a TWFE `did` / `eventstudy` line (issue #12): when the data at that
// line (the spec's data steps up to it, built as the data viewer builds them: in a worker, cached by
// the steps' text) show two or more adoption cohorts, an information diagnostic gives the cohorts and
// the share and sum of negative TWFE weights (engine/did/twfeWeights.ts), with a quick fix that
// inserts the equivalent `csdid` line (and the lines deriving its gvar from the treatment dummy when
// no variable holds it). Everything runs off the request loop: `diagnostics()` answers at once from
// what is computed and starts the rest, calling `onReady(uri)` when there is more to publish.
import { dirname } from 'node:path';
import type { Program, Range as AstRange, Statement, Term } from '../../../grammar/src/ast';
import { resolveCommand, resolveOption } from '../../../grammar/src/commands';
import { prepareModel } from '../engine/model';
import { adoptionCohorts, firstTreated, twfeWeights, type Cohort, type TwfeWeights } from '../engine/did/twfeWeights';
import type { CommandContext } from '../runtime/context';
import { commandSpec } from '../runtime/commands/registry';
import { didInput, readDid } from '../runtime/commands/estimation';
import { baseInput, depvarFrom, fixedEffectsFrom, regressorColumns } from '../runtime/commands/model';
import { eventSetup } from '../runtime/commands/eventstudy';
import { panelFromFixedEffects } from '../runtime/commands/common';
import { codeColumn } from '../runtime/factors';
import { expandCommandGlobals } from '../runtime/globals';
import { Options } from '../runtime/options';
import { Session } from '../runtime/session';
import { expandVarlist, itemName } from '../runtime/varlist';
import type { DataTable } from '../data/table';
import { isDataStep } from './dataSteps';
import { planSteps, startSteps, stepsText, type Built, type LoadedLookup, type StepsRunner } from './dataView';
import { DiagnosticSeverity, type Diagnostic } from './lspApi';
import { toRange } from './convert';

export const TWFE_CODE = 'twfe-staggered';

/** The quick fix a note carries: `text` inserted at `at` (the end of the statement's last line). */
export interface CsdidFix {
  kind: 'csdid';
  at: { line: number; character: number };
  text: string;
}

export interface TwfeFinding {
  cohorts: Cohort[];
  weights: Omit<TwfeWeights, 'weights'>;
  message: string;
  /** the lines to insert below the statement (csdid last); empty when unit or time is unknown */
  fix: string[];
}

const MAX_BUILDS = 4;
const MAX_FINDINGS = 400;

export class TwfeWarnings {
  /** data built at a statement, by its steps' key (the data viewer's key); a few kept */
  private readonly builds = new Map<string, Promise<Built>>();
  /** by the steps' text and the statement's text: the finding, or null (none / not computable) */
  private readonly findings = new Map<string, TwfeFinding | null>();
  private readonly pending = new Map<string, Promise<void>>();
  /** uri -> the text a job is computing for */
  private readonly jobs = new Map<string, string>();

  constructor(
    private readonly onReady: (uri: string) => void,
    private readonly run?: StepsRunner,
    private readonly loaded?: LoadedLookup,
    private readonly log?: (message: string) => void,
  ) {}

  /** The notes computed so far for this text; starts computing the others. */
  diagnostics(uri: string, doc: { text: string; version: number; file: string }, program: Program): Diagnostic[] {
    const out: Diagnostic[] = [];
    let missing = false;
    const lines = doc.text.split(/\r?\n/);
    for (const i of candidates(program)) {
      const key = findingKey(doc, program, i);
      if (!this.findings.has(key)) {
        missing = true;
        continue;
      }
      const f = this.findings.get(key);
      if (f) out.push(toDiagnostic(f, program.statements[i], lines));
    }
    if (missing && this.jobs.get(uri) !== doc.text) {
      this.jobs.set(uri, doc.text);
      void this.compute(uri, doc, program).catch((e) => this.log?.(`twfe note: ${(e as Error)?.message ?? e}`));
    }
    return out;
  }

  /** A data file (re)loaded: compute the notes again (builds are keyed by the files' dates already). */
  invalidate(): void {
    this.findings.clear();
  }

  forget(uri: string): void {
    this.jobs.delete(uri);
  }

  private async compute(uri: string, doc: { text: string; version: number; file: string }, program: Program): Promise<void> {
    for (const i of candidates(program)) {
      if (this.jobs.get(uri) !== doc.text) return; // edited meanwhile: the next publish starts again
      const key = findingKey(doc, program, i);
      if (this.findings.has(key)) continue;
      let p = this.pending.get(key);
      if (!p) {
        p = this.computeOne(key, doc, program, i).finally(() => this.pending.delete(key));
        this.pending.set(key, p);
      }
      await p;
    }
    if (this.jobs.get(uri) !== doc.text) return;
    this.jobs.delete(uri);
    this.onReady(uri);
  }

  private async computeOne(key: string, doc: { text: string; version: number; file: string }, program: Program, index: number): Promise<void> {
    let finding: TwfeFinding | null = null;
    try {
      const plan = await planSteps(program, index, doc, this.loaded);
      // lazy data (in DuckDB) is not built for a note: the note reads every row
      if (plan.lazy) return;
      let built = this.builds.get(plan.key);
      if (!built) {
        built = startSteps(plan, this.run);
        if (this.builds.size >= MAX_BUILDS) this.builds.delete(this.builds.keys().next().value as string);
        this.builds.set(plan.key, built);
      }
      const r = await built;
      // let other requests in between the build and the numbers
      await new Promise((res) => setImmediate(res));
      if (r.ok) finding = twfeFinding(r, program.statements[index], doc.text, doc.file);
    } catch (e) {
      // a line the run would refuse: its own error is the checker's or the run's to report
      if (!(e instanceof Error && (e.name === 'RunError' || e.name === 'EstimationError'))) this.log?.(`twfe note: ${(e as Error)?.stack ?? e}`);
    } finally {
      if (this.findings.size >= MAX_FINDINGS) this.findings.clear();
      this.findings.set(key, finding);
    }
  }
}

/** Statements that are TWFE did / eventstudy models (not under placebo, ritest or by). */
function candidates(program: Program): number[] {
  const out: number[] = [];
  program.statements.forEach((st, i) => {
    const name = resolveCommand(st.command.name)?.name;
    if (name !== 'did' && name !== 'eventstudy') return;
    const skip = st.prefixes.some((p) => {
      const role = resolveCommand(p.name)?.prefixRole;
      return role === 'resample' || role === 'by';
    });
    if (skip) return;
    if (name === 'eventstudy') {
      const table = resolveCommand('eventstudy')!;
      const est = st.command.options.find((o) => resolveOption(table, o.name)?.name === 'estimator');
      const word = est?.args?.[0];
      if (est && !(word?.kind === 'var' && word.name.toLowerCase() === 'twfe')) return;
    }
    out.push(i);
  });
  return out;
}

/** What a finding depends on: the file, its data steps up to the statement, and the statement. */
function findingKey(doc: { text: string; file: string }, program: Program, index: number): string {
  const steps = program.statements.filter((st, i) => i <= index && isDataStep(st));
  const lines = doc.text.split(/\r?\n/);
  return [doc.file, ...stepsText(doc.text, steps), '#', textOf(lines, program.statements[index].command.range)].join('\n');
}

function textOf(lines: string[], r: AstRange): string {
  if (r.start.line === r.end.line) return (lines[r.start.line] ?? '').slice(r.start.character, r.end.character);
  return [(lines[r.start.line] ?? '').slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), (lines[r.end.line] ?? '').slice(0, r.end.character)].join('\n');
}

function toDiagnostic(f: TwfeFinding, st: Statement, lines: string[]): Diagnostic {
  const end = st.command.range.end.line;
  const d: Diagnostic = { range: toRange(st.command.range), severity: DiagnosticSeverity.Information, code: TWFE_CODE, source: 'panelspec', message: f.message };
  if (f.fix.length) {
    const fix: CsdidFix = { kind: 'csdid', at: { line: end, character: (lines[end] ?? '').length }, text: '\n' + f.fix.join('\n') };
    d.data = fix;
  }
  return d;
}

/** The note for a did / eventstudy statement on the data built at it; null when adoption is not staggered. */
export function twfeFinding(built: Extract<Built, { ok: true }>, st: Statement, text: string, file: string): TwfeFinding | null {
  const session = new Session({ file, baseDir: dirname(file) });
  session.data = built.table;
  session.panel = built.panel;
  for (const [k, v] of built.globals ?? []) session.globals.set(k, v);
  const spec = commandSpec(st.command.name);
  if (!spec) return null;
  const command = expandCommandGlobals(st.command, session);
  const ctx: CommandContext = {
    session,
    statement: st,
    command,
    spec,
    canonical: spec.name,
    line: st.command.range.start.line + 1,
    eststo: null,
    by: null,
    placebo: null,
    ritest: null,
    quiet: true,
    emit: () => {
      throw new Error('the TWFE note emits no result');
    },
    dataChanged: () => undefined,
    progress: () => undefined,
  };
  const lines = text.split(/\r?\n/);
  const written = st.command.body.kind === 'terms' ? st.command.body.terms : [];
  const ifText = st.command.ifExpr ? ` if ${textOf(lines, st.command.ifExpr.range)}` : '';
  return spec.name === 'did' ? didFinding(ctx, built, written, lines, ifText) : eventstudyFinding(ctx, built, written, lines, ifText);
}

function didFinding(ctx: CommandContext, built: Extract<Built, { ok: true }>, written: Term[], lines: string[], ifText: string): TwfeFinding | null {
  const spec = readDid(ctx);
  const treat = spec.rhs[0];
  if (treat.kind !== 'var' || treat.factor) return null;
  const treatName = itemName(treat);
  const pm = prepareModel(didInput(ctx, spec, spec.outcomes[0]));
  if (!pm.feFactors.length) return null;
  const d = pm.xRaw[0];
  // the weights are those of a binary treatment
  for (let i = 0; i < d.length; i++) if (d[i] !== 0 && d[i] !== 1) return null;
  const feTerms = spec.opts.has('fe') ? spec.opts.terms('fe') : spec.opts.terms('absorb');
  // unit and time: xtset's, or read from the two fe() variables
  const panel = panelFromFixedEffects(ctx.session, feTerms);
  const table = built.table;
  const treatCol = table.get(treatName);
  const timeCol = panel && table.get(panel.time);
  if (!panel || !table.has(panel.unit) || treatCol?.kind !== 'numeric' || timeCol?.kind !== 'numeric') return null;
  const unit = codeColumn(table, panel.unit).codes;
  const adopt = firstTreated(unit, timeCol.values, treatCol.values);
  const cohorts = adoptionCohorts(unit, adopt, pm.rows);
  if (cohorts.length < 2) return null;
  const w = twfeWeights(d, pm.fe);
  if (!w) return null;
  const gvar = adoptionVariable(table, adopt, pm.rows, [treatName, panel.unit, panel.time]);
  const outcome = written[0]?.kind === 'paren' ? pm.input.depvar.name : textOf(lines, written[0].range);
  const controls = written.slice(2).map((t) => textOf(lines, t.range)).join(' ');
  const name = gvar ?? freshName(table, `gvar_${treatName}`);
  const fix = [
    ...(gvar ? [] : [`bysort ${panel.unit}: egen ${name} = min(cond(${treatName} == 1, ${panel.time}, .))`, `replace ${name} = 0 if missing(${name})`]),
    csdidLine(outcome, controls, ifText, name, panel.unit, panel.time, built),
  ];
  return { cohorts, weights: strip(w), message: message(cohorts, w), fix };
}

function eventstudyFinding(ctx: CommandContext, built: Extract<Built, { ok: true }>, written: Term[], lines: string[], ifText: string): TwfeFinding | null {
  const opts = new Options(ctx.command);
  if ((opts.keyword('estimator', 'twfe') ?? 'twfe') !== 'twfe') return null;
  const items = expandVarlist(ctx.command.body.kind === 'terms' ? ctx.command.body.terms : [], ctx.session, { allowFactor: true });
  const depvar = depvarFrom(ctx, items[0]);
  const setup = eventSetup(ctx, opts);
  const feTerms = opts.has('fe') ? opts.terms('fe') : opts.terms('absorb');
  if (!feTerms.length && !ctx.session.panel) return null;
  const fes = feTerms.length
    ? fixedEffectsFrom(ctx, feTerms)
    : fixedEffectsFrom(ctx, [ctx.session.panel!.unit, ctx.session.panel!.time].map((name) => ({ kind: 'var', name, range: ctx.command.nameRange, nameRange: ctx.command.nameRange, wildcard: false }) as Term));
  // the static TWFE treatment the event-time dummies split up: adopted and at or past adoption
  const post = Float64Array.from(setup.time, (t, i) => {
    const g = setup.adopt[i];
    if (Number.isNaN(t)) return NaN;
    return !Number.isNaN(g) && g !== 0 && t >= g ? 1 : 0;
  });
  const { input } = baseInput(ctx, opts, depvar, [{ name: '_post', values: post }, ...regressorColumns(ctx.session, items.slice(1))], fes, false);
  const pm = prepareModel(input);
  if (!pm.feFactors.length) return null;
  const unitName = setup.unitName ?? panelFromFixedEffects(ctx.session, feTerms)?.unit ?? null;
  if (!unitName) return null;
  const cohorts = adoptionCohorts(codeColumn(built.table, unitName).codes, setup.adopt, pm.rows);
  if (cohorts.length < 2) return null;
  const w = twfeWeights(pm.xRaw[0], pm.fe);
  if (!w) return null;
  const outcome = textOf(lines, written[0].range);
  const controls = written.slice(1).map((t) => textOf(lines, t.range)).join(' ');
  const fix = [csdidLine(outcome, controls, ifText, setup.adoptName, unitName, setup.timeName, built)];
  return { cohorts, weights: strip(w), message: message(cohorts, w), fix };
}

function strip(w: TwfeWeights): Omit<TwfeWeights, 'weights'> {
  const { weights: _omit, ...rest } = w;
  void _omit;
  return rest;
}

/** `csdid Y CONTROLS [if], gvar(G)`, with ivar()/time() unless xtset says the same. */
function csdidLine(outcome: string, controls: string, ifText: string, gvar: string, unit: string, time: string, built: Extract<Built, { ok: true }>): string {
  const panel = built.panel;
  const ids = panel && panel.unit === unit && panel.time === time ? '' : ` ivar(${unit}) time(${time})`;
  return `csdid ${outcome}${controls ? ` ${controls}` : ''}${ifText}, gvar(${gvar})${ids}`;
}

/**
 * A numeric variable equal to the adoption period `adopt` on the sample rows (0 or missing where it is
 * 0: never treated), if there is one: the csdid fix then needs no new variable.
 */
export function adoptionVariable(table: DataTable, adopt: Float64Array, rows: Int32Array, exclude: string[]): string | undefined {
  for (const c of table.columns) {
    if (c.kind !== 'numeric' || exclude.includes(c.name)) continue;
    const v = c.values;
    let ok = true;
    for (let k = 0; k < rows.length && ok; k++) {
      const i = rows[k];
      ok = adopt[i] === 0 ? v[i] === 0 || Number.isNaN(v[i]) : v[i] === adopt[i];
    }
    if (ok) return c.name;
  }
  return undefined;
}

function freshName(table: DataTable, base: string): string {
  const stem = base.slice(0, 28);
  if (!table.has(stem)) return stem;
  for (let k = 2; ; k++) if (!table.has(`${stem}${k}`)) return `${stem}${k}`;
}

/** e.g. "Staggered adoption: 4 cohorts (2015-2018); 12.3 % of treated cells get negative weight ..." */
export function message(cohorts: Cohort[], w: Omit<TwfeWeights, 'weights'>): string {
  const span = `${cohorts[0].time}-${cohorts[cohorts.length - 1].time}`;
  const head = `Staggered adoption: ${cohorts.length} cohorts (${span}); `;
  if (!w.negative) return `${head}no treated cell gets negative weight in the TWFE estimate, but effects that vary by cohort or over time can still bias it: consider csdid.`;
  return `${head}${(100 * w.negativeShare).toFixed(1)} % of treated cells get negative weight in the TWFE estimate (sum ${formatSum(w.negativeSum)}). Heterogeneous effects can bias it: consider csdid.`;
}

function formatSum(s: number): string {
  return Math.abs(s) >= 0.001 ? s.toFixed(3) : s.toPrecision(2);
}

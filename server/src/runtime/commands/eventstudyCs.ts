// eventstudy ..., estimator(cs): the Callaway-Sant'Anna event study, i.e. csdid's dynamic aggregation
// with csdid's defaults (never-treated controls, doubly robust, varying base period, analytic errors).
// window(LO HI) is aggte's min_e/max_e (the overall ATT averages the event times 0..HI); VARLIST holds
// covariates; unit and time come from xtset (or time() and the fe() pair). The result is an eventstudy
// estimation result: event_time by e (no reference row: every e is estimated), `att` = the overall
// dynamic ATT, `estimator` "cs", plus csdid's own fields.
import { normalTwoSidedP } from '../../engine/dist';
import type { CsdidOptions } from '../../engine/did/csdid';
import type { CommandContext } from '../context';
import { ifMask } from '../context';
import { numericValues } from '../design';
import { CS_REF_MESSAGE } from '../../../../grammar/src/optionValues';
import { RunError } from '../errors';
import type { Options } from '../options';
import { expandVarlist, plainNames, type VarItem } from '../varlist';
import { bodyTerms, panelFromFixedEffects } from './common';
import { keyColumn, runCsdidEngine, sampleInput } from './csdidInput';
import { asStoredModel, toCsdidResult } from './csdidResult';

const Z975 = 1.959963984540054;

/** @param name the eststo name of the model (null: unnamed) */
export function cmdEventstudyCs(ctx: CommandContext, opts: Options, name: string | null): void {
  const session = ctx.session;
  const table = session.requireData();
  const items = expandVarlist(bodyTerms(ctx), session) as VarItem[];
  if (!items.length) throw new RunError('eventstudy DEPVAR [VARLIST], treat(ADOPTVAR) estimator(cs)', ctx.command.nameRange);
  for (const it of items) if (it.kind !== 'var' || it.factor) throw new RunError('estimator(cs) takes plain numeric covariates (no factor terms)', it.range);
  const adoptNames = plainNames(expandVarlist(opts.required('treat'), session), 'treat()');
  if (adoptNames.length !== 1) throw new RunError('treat() takes the adoption-time variable', opts.range('treat'));
  const feTerms = opts.has('fe') ? opts.terms('fe') : opts.terms('absorb');
  const panel = panelFromFixedEffects(session, feTerms);
  const timeName = opts.has('time') ? plainNames(expandVarlist(opts.terms('time'), session), 'time()')[0] : panel?.time;
  if (!panel || !timeName) throw new RunError('estimator(cs) needs the unit and time variables: xtset UNIT TIME first, or fe(UNIT TIME)', ctx.command.nameRange);
  const col = (variable: string): Float64Array => {
    const c = table.get(variable);
    if (c?.kind !== 'numeric') throw new RunError(`${variable} must be a numeric variable`, ctx.command.nameRange);
    return c.values;
  };
  const win = opts.numbers('window');
  if (win && win.length !== 2) throw new RunError('window(LO HI) needs two numbers', opts.range('window'));
  if (opts.has('ref')) throw new RunError(CS_REF_MESSAGE, opts.range('ref'));
  const engineOpts: CsdidOptions = { control: 'never', method: 'dr', basePeriod: 'varying', anticipation: 0, ...(win ? { eventWindow: { min: win[0], max: win[1] } } : {}) };
  const input = sampleInput(
    {
      unit: keyColumn(ctx, panel.unit),
      time: col(timeName),
      gvar: col(adoptNames[0]),
      y: numericValues(session, items[0]),
      covariates: items.slice(1).map((it) => ({ name: it.name, values: numericValues(session, it) })),
    },
    ifMask(ctx),
  );
  const est = runCsdidEngine(ctx, input, engineOpts);
  const cs = toCsdidResult(est, engineOpts, { name, line: ctx.line, depvar: items[0].name, unit: panel.unit, covariates: items.slice(1).map((it) => it.name), agg: 'event', clusterVar: null });
  const ev = cs.aggregate.event;
  if (opts.has('cluster')) cs.warnings = [...(cs.warnings ?? []), 'cluster() is not used by estimator(cs): errors are clustered by unit, as R did without the bootstrap'];
  const recorded = ctx.emit({
    ...cs,
    command: 'eventstudy',
    estimator: 'cs',
    treat: adoptNames[0],
    att: { estimate: ev.att, se: ev.se },
    // the overall dynamic ATT (not csdid's simple one) is the model's coefficient
    coefficients: ev.se === null ? [] : [{ term: 'ATT', estimate: ev.att, se: ev.se, t: ev.att / ev.se, p: normalTwoSidedP(ev.att / ev.se), ci_low: ev.att - Z975 * ev.se, ci_high: ev.att + Z975 * ev.se }],
    ...(win ? { window: [win[0], win[1]] as [number, number] } : {}),
  });
  ctx.session.storeModel(asStoredModel(recorded), name);
}

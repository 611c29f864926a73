// eventstudy options -> the study engine's EventStudyInput: the adoption variable, the time
// variable (xtset's, or time()), window(LO HI) (default: every relative time observed) and ref(K).
import type { EventWindow } from '../../engine/study/eventstudy';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { EVENT_REF } from '../../engine/defaults';
import { eventWindowProblem } from '../../../../grammar/src/optionValues';
import type { Options } from '../options';
import { expandVarlist, plainNames } from '../varlist';
import { panelFromFixedEffects } from './common';

export interface EventSetup {
  time: Float64Array;
  adopt: Float64Array;
  adoptName: string;
  timeName: string;
  /** the unit variable when known (xtset's, or read from fe()): the default cluster of estimator(bjs) */
  unitName: string | null;
  window: EventWindow;
  windowGiven: boolean;
}

export function eventSetup(ctx: CommandContext, opts: Options): EventSetup {
  const session = ctx.session;
  const table = session.requireData();
  const adoptNames = plainNames(expandVarlist(opts.required('treat'), session), 'treat()');
  if (adoptNames.length !== 1) throw new RunError('treat() takes the adoption-time variable', opts.range('treat'));
  const adopt = table.get(adoptNames[0]);
  let timeName: string;
  const fe = opts.has('fe') ? opts.terms('fe') : opts.terms('absorb');
  const panel = panelFromFixedEffects(session, fe, adopt?.kind === 'numeric' ? adopt.values : undefined);
  if (opts.has('time')) timeName = plainNames(expandVarlist(opts.terms('time'), session), 'time()')[0];
  else {
    if (!panel) throw new RunError('eventstudy needs the time variable: xtset UNIT TIME first, or time(VAR)', ctx.command.nameRange);
    timeName = panel.time;
  }
  const time = table.get(timeName);
  if (adopt?.kind !== 'numeric') throw new RunError(`${adoptNames[0]} must be numeric`, opts.range('treat'));
  if (time?.kind !== 'numeric') throw new RunError(`${timeName} must be numeric`, ctx.command.nameRange);
  let lo: number;
  let hi: number;
  const win = opts.numbers('window');
  if (win) {
    [lo, hi] = win;
    const empty = eventWindowProblem(lo, hi, undefined);
    if (empty) throw new RunError(empty, opts.range('window'));
  } else {
    // default: the full range of relative times observed
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < table.nrows; i++) {
      const a = adopt.values[i];
      const k = time.values[i] - a;
      if (Number.isNaN(a) || a === 0 || Number.isNaN(k)) continue;
      lo = Math.min(lo, k);
      hi = Math.max(hi, k);
    }
    if (!Number.isFinite(lo)) throw new RunError(`no treated units: ${adoptNames[0]} is missing or 0 everywhere`, opts.range('treat'));
  }
  const ref = opts.number('ref', EVENT_REF) as number;
  const outside = eventWindowProblem(lo, hi, ref);
  if (outside) throw new RunError(outside, opts.has('ref') ? opts.range('ref') : ctx.command.nameRange);
  return {
    time: time.values, adopt: adopt.values, adoptName: adoptNames[0], timeName, unitName: panel?.unit ?? null, window: { lo, hi, ref }, windowGiven: !!win,
  };
}

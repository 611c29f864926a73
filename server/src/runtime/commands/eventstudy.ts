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
  /** Set when window() reached past the relative times in the data and was clipped to them. */
  clipped?: string;
}

/** The relative times k = time - adoption observed among treated rows; undefined when there are none. */
function observedRange(time: Float64Array, adopt: Float64Array): { lo: number; hi: number } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < time.length; i++) {
    const a = adopt[i];
    const k = time[i] - a;
    if (Number.isNaN(a) || a === 0 || Number.isNaN(k)) continue;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  return Number.isFinite(lo) ? { lo, hi } : undefined;
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
  const observed = observedRange(time.values, adopt.values);
  const win = opts.numbers('window');
  let clipped: string | undefined;
  const ref = opts.number('ref', EVENT_REF) as number;
  if (win) {
    [lo, hi] = win;
    const empty = eventWindowProblem(lo, hi, undefined);
    if (empty) throw new RunError(empty, opts.range('window'));
    const outside = eventWindowProblem(lo, hi, ref);
    if (outside) throw new RunError(outside, opts.has('ref') ? opts.range('ref') : ctx.command.nameRange);
    // periods past the data have no observation: a window(-100000 100000) would make 200,001 empty
    // rows. Clipping changes no estimate (those dummies are all zero); ref stays inside.
    if (observed && (hi < observed.lo || lo > observed.hi))
      throw new RunError(`window(${lo} ${hi}) holds no observed relative time: the data has k from ${observed.lo} to ${observed.hi}`, opts.range('window'));
    if (observed && (lo < observed.lo || hi > observed.hi)) {
      const clo = Math.min(Math.max(lo, observed.lo), ref);
      const chi = Math.max(Math.min(hi, observed.hi), ref);
      clipped = `window(${lo} ${hi}) reaches past the relative times in the data (k from ${observed.lo} to ${observed.hi}): clipped to window(${clo} ${chi})`;
      lo = clo;
      hi = chi;
    }
  } else {
    // default: the full range of relative times observed
    if (!observed) throw new RunError(`no treated units: ${adoptNames[0]} is missing or 0 everywhere`, opts.range('treat'));
    ({ lo, hi } = observed);
    const outside = eventWindowProblem(lo, hi, ref);
    if (outside) throw new RunError(outside, opts.has('ref') ? opts.range('ref') : ctx.command.nameRange);
  }
  return {
    time: time.values, adopt: adopt.values, adoptName: adoptNames[0], timeName, unitName: panel?.unit ?? null, window: { lo, hi, ref }, windowGiven: !!win, ...(clipped ? { clipped } : {}),
  };
}

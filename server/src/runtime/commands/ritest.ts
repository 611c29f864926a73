// ritest TREAT _b[TREAT], reps(N) seed(S) [strata(VAR) cluster(VAR)]: COMMAND: randomization inference.
// The command (reg, reghdfe, did) is read into its RegressionInput as usual; the engine (inference/ritest)
// permutes TREAT across the xtset units (or the clusters, or the observations of a cross-section) and
// refits through prepareDesign, as placebo does.
import { runRitest } from '../../engine/inference/ritest';
import { DEFAULT_SEED } from '../../engine/defaults';
import type { RegressionInput } from '../../engine/types';
import type { Recorded, RitestResult } from '../../results/types';
import type { CommandContext, RitestPrefix } from '../context';
import { RunError } from '../errors';
import { codeColumn } from '../factors';
import { didInput, readDid, regInput, reghdfeInput } from './estimation';

function commandInput(ctx: CommandContext): RegressionInput {
  switch (ctx.spec.name) {
    case 'regress':
    case 'areg':
      return regInput(ctx);
    case 'reghdfe':
      return reghdfeInput(ctx);
    case 'did': {
      const spec = readDid(ctx);
      if (spec.outcomes.length !== 1) throw new RunError('ritest runs one outcome at a time', ctx.command.range);
      return didInput(ctx, spec, spec.outcomes[0]);
    }
    default:
      throw new RunError(`ritest ...: works with reg, reghdfe and did, not ${ctx.command.name}`, ctx.command.nameRange);
  }
}

export function runRitestCommand(ctx: CommandContext): void {
  const rp = ctx.ritest as RitestPrefix;
  const session = ctx.session;
  const table = session.requireData();
  const input = commandInput(ctx);
  if (!input.regressors.some((r) => r.name === rp.treat)) {
    throw new RunError(`ritest: ${rp.treat} is not a regressor of the command (${input.regressors.map((r) => r.name).join(', ') || 'none'})`, rp.treatRange);
  }
  const panel = session.panel;
  let groups: Int32Array;
  let permuted: string;
  if (rp.cluster) {
    if (!table.has(rp.cluster)) throw new RunError(`variable ${rp.cluster} not found`, rp.command.range);
    groups = codeColumn(table, rp.cluster).codes;
    permuted = rp.cluster;
  } else if (panel) {
    groups = codeColumn(table, panel.unit).codes;
    permuted = panel.unit;
  } else {
    // a cross-section: each observation is its own unit
    groups = Int32Array.from({ length: table.nrows }, (_, i) => i);
    permuted = 'observation';
  }
  let strata: Int32Array | undefined;
  if (rp.strata) {
    if (!table.has(rp.strata)) throw new RunError(`variable ${rp.strata} not found`, rp.command.range);
    strata = codeColumn(table, rp.strata).codes;
  }
  let time: Float64Array | undefined;
  if (panel) {
    const t = table.get(panel.time);
    if (t?.kind === 'numeric') time = t.values;
  }
  const seed = rp.seed ?? session.seed ?? DEFAULT_SEED;
  let out;
  try {
    out = runRitest({
      model: input,
      treatment: rp.treat,
      groups,
      groupLabel: rp.cluster ? 'cluster' : panel ? 'unit' : 'observation',
      strata,
      time,
      reps: rp.reps,
      seed,
      signal: ctx.signal,
      onProgress: (f) => {
        const d = Math.round(f * rp.reps);
        if (d % 10 === 0 || d === rp.reps) ctx.progress(`ritest permutation ${d}/${rp.reps}`, f);
      },
    });
  } catch (e) {
    if ((e as Error)?.name === 'EstimationError') throw new RunError((e as Error).message, ctx.command.nameRange, 'estimation');
    throw e;
  }
  if (out.cancelled) throw new RunError('run cancelled', ctx.command.nameRange, 'cancelled');
  const result: Omit<RitestResult, keyof Recorded> = {
    kind: 'ritest',
    term: rp.treat,
    actual: out.actual,
    reps: out.reps,
    draws: out.draws,
    p_value: out.p_value,
    p_ci: out.p_ci,
    mean: out.mean,
    sd: out.sd,
    seed,
    command: ctx.canonical,
    permuted,
    strata: rp.strata,
    groups: out.groups,
    collinear_draws: out.collinear_draws,
  };
  ctx.emit(result);
}

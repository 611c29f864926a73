// placebo reps(N) units(M) seed(S): did ... : hands the did model to the study engine's runPlacebo,
// which re-randomises TREAT over the units (CONTRACT.md) and refits N times.
import { runPlacebo as enginePlacebo } from '../../engine/study/placebo';
import { DEFAULT_SEED } from '../../engine/defaults';
import type { PlaceboResult } from '../../results/types';
import type { CommandContext } from '../context';
import { atCommand, RunError } from '../errors';
import { codeColumn } from '../factors';
import { itemName } from '../varlist';
import { didInput, readDid } from './estimation';
import { panelFromFixedEffects } from './common';

export async function runPlacebo(ctx: CommandContext): Promise<void> {
  const pp = ctx.placebo!;
  const session = ctx.session;
  const table = session.requireData();
  const spec = readDid(ctx);
  const panel = panelFromFixedEffects(session, spec.opts.has('fe') ? spec.opts.terms('fe') : spec.opts.terms('absorb'));
  if (!panel) throw new RunError('placebo needs the panel structure: xtset UNIT TIME first', pp.command.range);
  if (spec.outcomes.length !== 1) throw new RunError('placebo runs one outcome at a time', ctx.command.range);
  const treatItem = spec.rhs[0];
  if (treatItem.kind !== 'var' || treatItem.factor) throw new RunError('the treatment must be a plain variable', treatItem.range);
  const treatName = itemName(treatItem);
  const input = didInput(ctx, spec, spec.outcomes[0]);
  const time = table.get(panel.time);
  if (time?.kind !== 'numeric') throw new RunError(`time variable ${panel.time} must be numeric`, ctx.command.range);
  const unit = codeColumn(table, panel.unit).codes;
  // default M: as many pseudo-treated units as really treated ones
  let M = pp.units;
  if (M === null) {
    const treat = input.regressors.find((r) => r.name === treatName)!.values;
    const treated = new Set<number>();
    for (let i = 0; i < table.nrows; i++) if (treat[i] === 1 && unit[i] >= 0) treated.add(unit[i]);
    M = Math.max(1, treated.size);
  }
  const seed = pp.seed ?? session.seed ?? DEFAULT_SEED;
  const out = atCommand(ctx.command.nameRange, () =>
    enginePlacebo({
      model: input,
      treatment: treatName,
      unit,
      time: time.values,
      reps: pp.reps,
      units: M,
      seed,
      signal: ctx.signal,
      onProgress: (f) => {
        const d = Math.round(f * pp.reps);
        if (d % 10 === 0 || d === pp.reps) ctx.progress(`placebo draw ${d}/${pp.reps}`, f);
      },
    }),
  );
  if (out.cancelled) throw new RunError('run cancelled', ctx.command.nameRange, 'cancelled');
  const result: Pick<PlaceboResult, 'kind' | 'name' | 'reps' | 'draws' | 'actual' | 'mean' | 'sd' | 'p_value'> = {
    kind: 'placebo',
    name: ctx.eststo?.name ?? null,
    reps: out.reps,
    draws: out.draws,
    actual: out.actual,
    mean: out.mean,
    sd: out.sd,
    p_value: out.p_value,
  };
  ctx.emit({
    ...result,
    treat: treatName,
    depvar: input.depvar.name,
    actual_se: out.actual_se,
    units: out.units,
    seed: out.seed,
    treated_units: out.treated_units,
    adoption_times: out.adoption_times,
    collinear_draws: out.collinear_draws,
  });
}

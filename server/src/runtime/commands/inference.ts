// Inference after (or around) an estimation: `boottest TERM` (wild cluster bootstrap of the current model),
// `estimates restore NAME` / `estimates store NAME` (which model is current).
import { prepareModel } from '../../engine/model';
import { BOOTTEST_REPS, DEFAULT_SEED } from '../../engine/defaults';
import { compactCodes, countLevels, interactMany, type SampleFactor } from '../../engine/factors';
import { wildClusterSums } from '../../engine/inference/wildProblem';
import { wildClusterBootstrap, type WildClusterSums, type WildWeightType } from '../../engine/inference/wildBootstrap';
import type { BoottestResult, EstimationResult } from '../../results/types';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { codeColumn } from '../factors';
import { bodyTerms } from './common';
import type { Range, VarRef } from '../../../../grammar/src/ast';
import { noModelProblem, resolveCommand, resolveSubcommand, unknownModelProblem } from '../../../../grammar/src/commands';
import { modelReference } from '../../../../grammar/src/bodyShape';

const WEIGHT_TYPES: readonly WildWeightType[] = ['rademacher', 'webb', 'mammen', 'normal'];

/** Runs an engine step, turning its EstimationError into a message at the command. */
function engineStep<T>(ctx: CommandContext, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if ((e as Error)?.name === 'EstimationError' || e instanceof RangeError) throw new RunError((e as Error).message, ctx.command.nameRange, 'estimation');
    throw e;
  }
}

/** The model's stored name, if any. */
function nameOf(ctx: CommandContext, model: EstimationResult): string | null {
  for (const [k, v] of ctx.session.models) if (v === model) return k;
  return model.name ?? null;
}

/** What boottest is asked for, read and checked the same way in memory and on lazy data. */
export interface BoottestRequest {
  opts: Options;
  model: EstimationResult;
  term: string;
  reps: number;
  weightType: WildWeightType;
  level: number;
  seed: number;
  nullImposed: boolean;
}

/** The current model, the tested term and the bootstrap's options. */
export function readBoottest(ctx: CommandContext): BoottestRequest {
  const session = ctx.session;
  const opts = new Options(ctx.command);
  const model = session.lastModel;
  if (!model) throw new RunError(noModelProblem('boottest'), ctx.command.nameRange);
  const terms = bodyTerms(ctx);
  if (terms.length !== 1 || terms[0].kind !== 'var' || terms[0].op) {
    throw new RunError('boottest needs one coefficient to test: boottest TERM [, options]', terms[1]?.range ?? terms[0]?.range ?? ctx.command.nameRange);
  }
  const term = terms[0].name;
  const termRange = terms[0].range;
  const kept = model.coefficients.map((c) => c.term).filter((t) => t !== '_cons');
  if (model.omitted.some((o) => o.term === term)) throw new RunError(`boottest: ${term} was omitted from the model (${model.omitted.find((o) => o.term === term)!.reason}): nothing to test`, termRange);
  if (term === '_cons') throw new RunError('boottest tests a regressor; the constant is not supported', termRange);
  if (!kept.includes(term)) throw new RunError(`boottest: ${term} is not in the model (its coefficients: ${kept.join(', ') || 'none'})`, termRange);

  const reps = opts.number('reps', BOOTTEST_REPS)!;
  if (!Number.isInteger(reps) || reps < 1) throw new RunError(`reps(${reps}) must be a whole number from 1 up (default 999)`, opts.range('reps'));
  let weightType: WildWeightType = 'rademacher';
  if (opts.has('weighttype')) {
    const t = opts.terms('weighttype');
    const word = t.length === 1 ? termText(t[0]).toLowerCase() : '';
    const hit = WEIGHT_TYPES.find((w) => w === word || (word.length >= 3 && w.startsWith(word)));
    if (!hit) throw new RunError(`weighttype(${t.map(termText).join(' ')}): use rademacher, webb, mammen or normal`, opts.range('weighttype'));
    weightType = hit;
  }
  const level = opts.number('level', 95)!;
  if (!(level > 0 && level < 100)) throw new RunError(`level(${level}) must lie between 0 and 100 (percent; default 95)`, opts.range('level'));
  const seedOpt = opts.number('seed');
  if (seedOpt !== undefined && !Number.isInteger(seedOpt)) throw new RunError('seed() needs a whole number', opts.range('seed'));
  const seed = seedOpt ?? session.seed ?? DEFAULT_SEED;
  return { opts, model, term, reps, weightType, level, seed, nullImposed: !opts.has('nonull') };
}

/** boottest TERM [, reps(B) weighttype(W) seed(S) nonull level(L) cluster(VAR)] */
export function cmdBoottest(ctx: CommandContext): void {
  const req = readBoottest(ctx);
  const { opts, model, term } = req;
  const input = ctx.session.modelInputs.get(model);
  if (!input) throw new RunError(`boottest works after reg, reghdfe, did and eventstudy (twfe), not after ${model.command}`, ctx.command.nameRange);

  const m = engineStep(ctx, () => prepareModel(input));
  // the error clusterings (cluster(), else the model's: one-way or multiway) and the bootstrap clusters
  // (bootcluster(), else the intersection of the clusterings, as fwildclusterboot and Stata's boottest)
  const given = opts.has('cluster') ? optionFactors(ctx, opts, 'cluster', m.rows, input.depvar.values.length) : null;
  const clusters = given ? given.map((g) => g.factor) : m.clusterFactors;
  if (clusters.length === 0) throw new RunError('boottest: the model is not clustered: give the bootstrap clusters with cluster(VAR)', ctx.command.nameRange);
  clusters.forEach((c, q) => {
    if (c.nlevels < 2) {
      throw new RunError(
        `boottest: ${c.name} has a single cluster in the estimation sample; the wild cluster bootstrap needs at least 2${clusters.length > 1 ? ' in every clustering' : ''}`,
        given ? given[q].range : ctx.command.nameRange,
      );
    }
  });
  let boot: SampleFactor | undefined;
  if (opts.has('bootcluster')) {
    const b = optionFactors(ctx, opts, 'bootcluster', m.rows, input.depvar.values.length).map((g) => g.factor);
    boot = b.length === 1 ? b[0] : intersection(b);
    if (boot.nlevels < 2) throw new RunError(`boottest: bootcluster(${boot.name}) has a single cluster in the estimation sample; the wild cluster bootstrap needs at least 2`, opts.range('bootcluster'));
  }
  const clustering = { clusters, boot };
  const sums = engineStep(ctx, () => wildClusterSums(m, term, clustering));
  emitBoottest(ctx, req, sums, clusters.map((c) => c.name), boot?.name ?? clusters.map((c) => c.name).join('#'), clusters.length > 1 || !!boot);
}

/** The bootstrap on the cluster-level sums (from memory or from SQL), its result and the model's note. */
export function emitBoottest(ctx: CommandContext, req: BoottestRequest, sums: WildClusterSums, clusterNames: string[], bootName: string, separateBoot: boolean): void {
  const { model, term, reps, weightType, level, seed, nullImposed } = req;
  const G = sums.G;
  const warnings: string[] = [];
  if (G < 6) {
    const what = separateBoot ? 'bootstrap clusters' : 'clusters';
    warnings.push(
      weightType === 'rademacher'
        ? `only ${G} ${what}: ${2 ** G} distinct Rademacher sign vectors (${2 ** (G - 1)} distinct |t|), so the p-value cannot fall below ${(1 / 2 ** (G - 1)).toPrecision(3)}; consider weighttype(webb)`
        : `only ${G} ${what} (fewer than 6): the wild cluster bootstrap is unreliable with so few clusters (Webb weights give at most ${6 ** G} distinct draws)`,
    );
  }
  const out = engineStep(ctx, () => wildClusterBootstrap(sums, { reps, weightType, seed, nullImposed, level: level / 100 }));
  if (out.ciLow === null || out.ciHigh === null) warnings.push('the confidence set is unbounded on at least one side (reported as null)');
  if (out.invalid > 0) warnings.push(`${out.invalid} of ${out.reps} draws have a negative multiway variance and were left out of the p-value (as fwildclusterboot)`);

  const result: Omit<BoottestResult, 'seconds' | 'line'> = {
    kind: 'boottest',
    model: nameOf(ctx, model),
    term,
    estimate: out.estimate,
    se: out.se,
    t: out.t,
    p_value: out.pValue,
    ci_low: out.ciLow,
    ci_high: out.ciHigh,
    ci_exact: [out.ciExactLow, out.ciExactHigh],
    level,
    reps: out.reps,
    enumerated: out.enumerated,
    weighttype: weightType,
    null_imposed: nullImposed,
    n_clusters: G,
    cluster: clusterNames.join(' '),
    bootcluster: bootName,
    seed: out.enumerated ? null : seed,
    warnings,
  };
  ctx.emit(result);
  model.boottest = { term, p_value: out.pValue, ci_low: out.ciLow, ci_high: out.ciHigh, level, reps: out.reps, weighttype: weightType, null_imposed: nullImposed };
}

/** The variables of option `name` as factors on the model's sample rows (codes 0..G-1), with their ranges. */
function optionFactors(ctx: CommandContext, opts: Options, name: string, rows: Int32Array, modelRows: number): { factor: SampleFactor; range: Range }[] {
  const t = opts.terms(name);
  if (!t.length || t.some((x) => x.kind !== 'var')) throw new RunError(`${name}() takes variable names`, opts.range(name));
  const table = ctx.session.requireData();
  if (table.nrows !== modelRows) {
    throw new RunError('boottest: the data have changed since the model was estimated (rows added or dropped): re-estimate it first', opts.range(name));
  }
  return t.map((x) => {
    const v = x as VarRef;
    if (!table.has(v.name)) throw new RunError(`variable ${v.name} not found`, v.range);
    const codes = codeColumn(table, v.name).codes;
    for (const r of rows) if (codes[r] < 0) throw new RunError(`boottest: the ${name} variable ${v.name} is missing in row ${r + 1} of the estimation sample`, v.range);
    return { factor: compactCodes(v.name, codes, rows), range: v.range };
  });
}

/** The intersection of factors on the same rows (a#b). */
function intersection(fs: SampleFactor[]): SampleFactor {
  const codes = interactMany(fs.map((f) => f.codes));
  return { name: fs.map((f) => f.name).join('#'), codes, nlevels: countLevels(codes) };
}

/** estimates restore NAME | estimates store NAME */
export function cmdEstimates(ctx: CommandContext): void {
  const session = ctx.session;
  const terms = bodyTerms(ctx);
  const spec = resolveCommand(ctx.command.name)!;
  const sub = terms[0]?.kind === 'var' ? resolveSubcommand(spec, terms[0].name) : undefined;
  if (!sub?.model) throw new RunError('estimates restore NAME or estimates store NAME', terms[0]?.range ?? ctx.command.nameRange);
  const ref = modelReference(spec, ctx.command);
  if (!ref) throw new RunError(`estimates ${sub.name} needs one model name`, terms[1]?.range ?? ctx.command.range);
  if (ref.model === 'restore') {
    const model = session.models.get(ref.name);
    if (!model) throw new RunError(unknownModelProblem(ref.name, [...session.models.keys()]), ref.range);
    session.lastModel = model;
    return;
  }
  if (!session.lastModel) throw new RunError(noModelProblem('estimates store'), ctx.command.nameRange);
  session.lastModel.name = ref.name;
  session.models.set(ref.name, session.lastModel);
}

// coefplot NAMES [, keep() drop() rename() levels(#) vertical xline() yline() title() nolabels]:
// point estimates with confidence intervals of stored models, one marker style per model (Ben
// Jann's coefplot). The result is a plot of its own kind; the panel draws it and `graph export`
// writes it when it is the latest plot.
import { ResultsError } from '../../results/errors';
import type { CoefplotResult, EstimationResult } from '../../results/types';
import type { Term } from '../../../../grammar/src/ast';
import { coefplotData } from '../coefplotData';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { bodyTerms } from './common';
import { globMatch } from '../../results/regressionTable';

export function cmdCoefplot(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const session = ctx.session;
  const models: { name: string; result: EstimationResult }[] = [];
  for (const t of bodyTerms(ctx)) {
    if (t.kind !== 'var' || t.op) throw new RunError(`coefplot: expected stored model names, found ${termText(t)}`, t.range);
    const hit = t.wildcard ? [...session.models.keys()].filter((k) => globMatch(t.name, k)) : session.models.has(t.name) ? [t.name] : [];
    if (!hit.length)
      throw new RunError(
        t.wildcard ? `coefplot: no stored model matches ${t.name}` : `coefplot: no stored model named ${t.name} (name models with eststo ${t.name}: ...)`,
        t.range,
      );
    for (const n of hit) if (!models.some((m) => m.name === n)) models.push({ name: n, result: session.models.get(n)! });
  }
  // Without names, as coefplot: the active (last) model.
  if (!models.length) {
    const last = session.lastModel;
    if (!last) throw new RunError('coefplot: no estimation results to plot (run a model first, or name stored models)', ctx.command.nameRange);
    models.push({ name: last.name ?? `line ${last.line}`, result: last });
  }

  const list = (o: string) => (opts.has(o) ? opts.terms(o).map(termText) : undefined);
  const level = levelFrom(opts);
  const vertical = opts.has('vertical');
  if (vertical && opts.has('horizontal')) throw new RunError('coefplot: vertical and horizontal exclude each other', opts.range('horizontal'));
  let data;
  try {
    data = coefplotData(models, { keep: list('keep'), drop: list('drop'), rename: renameFrom(opts), level, labels: !opts.has('nolabels') });
  } catch (e) {
    if (e instanceof ResultsError) throw new RunError(`coefplot: ${e.message}`, opts.has('levels') ? opts.range('levels') : ctx.command.nameRange);
    throw e;
  }
  if (!data.categories.length) {
    const why = opts.has('keep') ? opts.range('keep') : opts.has('drop') ? opts.range('drop') : ctx.command.nameRange;
    const what = opts.has('keep') ? `keep(${list('keep')!.join(' ')})` : opts.has('drop') ? `drop(${list('drop')!.join(' ')})` : 'the models';
    const known = [...new Set(models.flatMap((m) => m.result.coefficients.map((c) => c.term)))].join(' ');
    throw new RunError(`coefplot: no coefficient left to plot after ${what} (the models have: ${known || 'none'})`, why);
  }
  const result: Omit<CoefplotResult, 'seconds'> = {
    kind: 'plot',
    plot: 'coefplot',
    models: models.map((m) => m.name),
    level,
    vertical,
    xline: axisLines(opts, 'xline'),
    yline: axisLines(opts, 'yline'),
    title: opts.text('title') ?? null,
    categories: data.categories,
    series: data.series,
    ...(data.axis ? { axis: data.axis } : {}),
  };
  ctx.emit(result);
}

/** levels(#): one level in percent (coefplot's levels(99 95) nesting is not drawn). */
function levelFrom(opts: Options): number {
  if (!opts.has('levels')) return 95;
  const nums = opts.numbers('levels')!;
  if (nums.length !== 1) throw new RunError('coefplot: levels() takes one confidence level, e.g. levels(90)', opts.range('levels'));
  const l = nums[0];
  if (!(l >= 10 && l <= 99.99)) throw new RunError(`coefplot: levels() must be between 10 and 99.99, not ${l}`, opts.range('levels'));
  return l;
}

/** rename(old new ...), also coefplot's own spelling rename(old = new ...); new may be quoted text. */
function renameFrom(opts: Options): Record<string, string> | undefined {
  if (!opts.has('rename')) return undefined;
  const words = opts.terms('rename').filter((t: Term) => !(t.kind === 'op' && t.op === '='));
  if (words.length % 2) throw new RunError('coefplot: rename() needs pairs: rename(old new ...)', opts.range('rename'));
  const out: Record<string, string> = {};
  for (let i = 0; i < words.length; i += 2) out[termText(words[i])] = termText(words[i + 1]);
  return out;
}

function axisLines(opts: Options, name: string): number[] {
  if (!opts.has(name)) return [];
  const nums = opts.numbers(name)!;
  if (!nums.length) throw new RunError(`coefplot: ${name}() needs a number, e.g. ${name}(0)`, opts.range(name));
  return nums;
}

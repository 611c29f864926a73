// graph export "FILE.svg" [, replace]: writes the plot of the most recent plottable result (an
// event study's coefficients, a placebo test's histogram, a coefplot) as a standalone SVG (fixed
// colours on white, so the file looks the same in any viewer or paper).
import { eventStudySvg } from '../../results/plots/eventStudy';
import { placeboSvg } from '../../results/plots/placebo';
import { coefPlotSvg } from '../../results/plots/coefPlot';
import type { CoefplotResult, CommandResult, EstimationResult, PlaceboResult } from '../../results/types';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { bodyTerms, pathFrom } from './common';
import { writeOutput } from './files';

/** What `graph export` can draw. */
export type PlotSource =
  | { plot: 'eventstudy'; result: EstimationResult }
  | { plot: 'placebo'; result: PlaceboResult }
  | { plot: 'coefplot'; result: CoefplotResult };

/** The latest result with a plot: an estimation with event-time estimates, a placebo test, a coefplot. */
export function latestPlottable(results: readonly CommandResult[]): PlotSource | null {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r.kind === 'placebo') return { plot: 'placebo', result: r };
    if (r.kind === 'plot') return { plot: 'coefplot', result: r };
    if (r.kind === 'estimation' && r.event_time?.length) return { plot: 'eventstudy', result: r };
  }
  return null;
}

export function cmdGraph(ctx: CommandContext): void {
  const opts = new Options(ctx.command);
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (!sub || sub.kind !== 'var' || sub.op || sub.name.toLowerCase() !== 'export')
    throw new RunError('only `graph export "FILE.svg" [, replace]` is supported', sub?.range ?? ctx.command.nameRange);
  if (terms.length > 2) throw new RunError(`graph export: unexpected ${termText(terms[2])} (write graph export "FILE.svg")`, terms[2].range);
  const { path, written, range } = pathFrom(terms[1], ctx.session, 'graph export', sub.range);
  if (!/\.svg$/i.test(path)) throw new RunError(`graph export: ${written} must end in .svg (the only format written)`, range);
  const source = latestPlottable(ctx.session.results);
  if (!source) throw new RunError('graph export: nothing to plot yet (run eventstudy, placebo or coefplot first)', ctx.command.nameRange);
  const svg =
    source.plot === 'eventstudy'
      ? eventStudySvg(source.result, { standalone: true })
      : source.plot === 'placebo'
        ? placeboSvg(source.result, { standalone: true })
        : coefPlotSvg(source.result, { standalone: true });
  writeOutput(path, written, svg, opts.has('replace'), range);
  ctx.emit({ kind: 'graph', file: written, plot: source.plot, source_line: source.result.line ?? null });
}

// graph export "FILE.svg" [, replace]: writes the plot of the most recent plottable result (an
// event study's coefficients, a placebo test's histogram, a coefplot) as a standalone SVG (fixed
// colours on white, so the file looks the same in any viewer or paper).
import { eventStudySvg } from '../../results/plots/eventStudy';
import { placeboSvg, ritestAsPlacebo } from '../../results/plots/placebo';
import { coefPlotSvg } from '../../results/plots/coefPlot';
import { baconSvg } from '../../results/plots/bacon';
import type { BaconResultJson, CoefplotResult, CommandResult, EstimationResult, PlaceboResult, RitestResult } from '../../results/types';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { bodyTerms, pathFrom } from './common';
import { writeOutput } from './files';

/** What `graph export` can draw. */
export type PlotSource =
  | { plot: 'eventstudy'; result: EstimationResult }
  | { plot: 'placebo'; result: PlaceboResult }
  | { plot: 'coefplot'; result: CoefplotResult }
  | { plot: 'bacon'; result: BaconResultJson };

/** The latest result with a plot: an estimation with event-time estimates, a placebo test, a coefplot, a Bacon decomposition. */
export function latestPlottable(results: readonly CommandResult[]): PlotSource | null {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r.kind === 'placebo') return { plot: 'placebo', result: r as PlaceboResult };
    if (r.kind === 'bacon') return { plot: 'bacon', result: r as BaconResultJson };
    // ritest's permutation draws plot as placebo's histogram does
    if (r.kind === 'ritest') return { plot: 'placebo', result: ritestAsPlacebo(r as RitestResult) };
    if (r.kind === 'plot' && (r as CoefplotResult).plot === 'coefplot') return { plot: 'coefplot', result: r as CoefplotResult };
    if (r.kind === 'estimation' && (r as EstimationResult).event_time?.length) return { plot: 'eventstudy', result: r as EstimationResult };
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
  if (!source) throw new RunError('graph export: nothing to plot yet (run eventstudy, placebo, coefplot or bacondecomp first)', ctx.command.nameRange);
  const svg = plotSvg(source);
  writeOutput(path, written, svg, opts.has('replace'), range);
  ctx.emit({ kind: 'graph', file: written, plot: source.plot, source_line: source.result.line ?? null });
}

/** The standalone SVG of a plottable result. */
function plotSvg(source: PlotSource): string {
  switch (source.plot) {
    case 'eventstudy':
      return eventStudySvg(source.result, { standalone: true });
    case 'placebo':
      return placeboSvg(source.result, { standalone: true });
    case 'coefplot':
      return coefPlotSvg(source.result, { standalone: true });
    case 'bacon':
      return baconSvg(source.result, { standalone: true });
  }
}

// graph export "FILE.svg|png|pdf" [, replace width(#) height(#)]: writes the plot of the most recent
// plottable result (an event study's coefficients, a placebo test's histogram, a coefplot) as a
// standalone SVG (fixed colours on white, so the file looks the same in any viewer or paper), or that
// SVG rasterised to PNG / put on a PDF page. width()/height() are pixels, as Stata's.
import { eventStudySvg } from '../../results/plots/eventStudy';
import { placeboSvg, ritestAsPlacebo } from '../../results/plots/placebo';
import { coefPlotSvg } from '../../results/plots/coefPlot';
import { baconSvg } from '../../results/plots/bacon';
import type { BaconResultJson, CoefplotResult, CommandResult, EstimationResult, PlaceboResult } from '../../results/types';
import { isCsdid } from '../../results/csdidTables';
import { asStoredModel } from './csdidResult';
import type { CommandContext } from '../context';
import { RunError } from '../errors';
import { Options, termText } from '../options';
import { bodyTerms, pathFrom } from './common';
import { writeOutput } from './files';
import { graphFileProblem, graphFormatOf, MAX_GRAPH_PIXELS } from '../../results/plots/exportFormat';
import { resizedSvg, svgToPdf, svgToPng, type RasterSize } from '../../results/plots/raster';

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
    if (r.kind === 'placebo') return { plot: 'placebo', result: r };
    if (r.kind === 'bacon') return { plot: 'bacon', result: r };
    // ritest's permutation draws plot as placebo's histogram does
    if (r.kind === 'ritest') return { plot: 'placebo', result: ritestAsPlacebo(r) };
    if (r.kind === 'plot' && r.plot === 'coefplot') return { plot: 'coefplot', result: r };
    if (r.kind === 'estimation' && r.event_time?.length) return { plot: 'eventstudy', result: isCsdid(r) ? asStoredModel(r) : r };
  }
  return null;
}

/** width(#)/height(#): whole pixels in 1..MAX_GRAPH_PIXELS. */
function rasterSize(opts: Options): RasterSize {
  const out: RasterSize = {};
  for (const k of ['width', 'height'] as const) {
    if (!opts.has(k)) continue;
    const v = opts.number(k) ?? NaN;
    if (!Number.isInteger(v) || v < 1 || v > MAX_GRAPH_PIXELS) throw new RunError(`graph export: ${k}() must be a whole number of pixels from 1 to ${MAX_GRAPH_PIXELS}`, opts.get(k)!.range);
    out[k] = v;
  }
  return out;
}

export async function cmdGraph(ctx: CommandContext): Promise<void> {
  const opts = new Options(ctx.command);
  const terms = bodyTerms(ctx);
  const sub = terms[0];
  if (!sub || sub.kind !== 'var' || sub.op || sub.name.toLowerCase() !== 'export')
    throw new RunError('only `graph export "FILE.svg|png|pdf" [, replace width(#) height(#)]` is supported', sub?.range ?? ctx.command.nameRange);
  if (terms.length > 2) throw new RunError(`graph export: unexpected ${termText(terms[2])} (write graph export "FILE.png")`, terms[2].range);
  const { path, written, range } = pathFrom(terms[1], ctx.session, 'graph export', sub.range);
  const problem = graphFileProblem(written);
  const format = graphFormatOf(written);
  if (problem || !format) throw new RunError(problem ?? `graph export: ${written}`, range);
  const size = rasterSize(opts);
  const source = latestPlottable(ctx.session.results);
  if (!source) throw new RunError('graph export: nothing to plot yet (run eventstudy, placebo, coefplot or bacondecomp first)', ctx.command.nameRange);
  const svg = plotSvg(source);
  const content = format === 'svg' ? resizedSvg(svg, size) : format === 'png' ? Buffer.from(await svgToPng(svg, size)) : await svgToPdf(svg, size);
  writeOutput(path, written, content, opts.has('replace'), range);
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

// The tables and plots the results panel shows, with stable ids (the webview's buttons refer to
// them; the extension re-derives the same list from the state to copy or export one).

import type { BaconResultJson, CoefplotResult, CommandResult, EstimationResult, PlaceboResult, RitestResult, RunOutput } from '../../server/src/results/types';
import type { TableModel } from '../../server/src/results/tableModel';
import { type DisplayOptions, collectLabels, tablesForResult } from '../../server/src/results/tables';
import { eventStudySvg } from '../../server/src/results/plots/eventStudy';
import { placeboSvg, ritestAsPlacebo } from '../../server/src/results/plots/placebo';
import { coefPlotSvg } from '../../server/src/results/plots/coefPlot';
import { baconSvg } from '../../server/src/results/plots/bacon';
import { ResultsError } from '../../server/src/results/errors';

export interface PanelTable {
  id: string;
  title: string;
  model: TableModel;
}

export type PlotKind = 'eventStudy' | 'placebo' | 'coefplot' | 'bacon';

export interface PanelPlot {
  id: string;
  kind: PlotKind;
  title: string;
  result: EstimationResult | PlaceboResult | CoefplotResult | BaconResultJson;
}

export interface PanelItem {
  index: number; // position in output.results
  result: CommandResult;
  heading: string;
  tables: PanelTable[];
  plots: PanelPlot[];
  error?: string; // a result that could not be drawn (e.g. esttab naming an unknown model)
}

export function heading(r: CommandResult): string {
  const at = typeof r.line === 'number' ? ` · line ${r.line}` : '';
  switch (r.kind) {
    case 'estimation': {
      const e = r;
      return `${e.name ? `${e.name}: ` : ''}${e.command} ${e.depvar}${at}`;
    }
    case 'table':
      return `esttab${at}`;
    case 'summary':
      return `summarize${at}`;
    case 'placebo':
      return `placebo${at}`;
    case 'bacon':
      return `bacondecomp ${String((r as { treat?: unknown }).treat ?? '')}${at}`;
    case 'index':
      return `entropy ${r.name}${at}`;
    case 'match':
      return `psmatch${at}`;
    case 'data':
      return `use${at}`;
    case 'plot':
      return `coefplot ${r.models.join(' ')}${at}`;
    default:
      return `${r.kind}${at}`;
  }
}

export function panelItems(output: RunOutput, display: DisplayOptions): PanelItem[] {
  const all = output.results;
  const labels = collectLabels(all);
  return all.map((result, index) => {
    const item: PanelItem = { index, result, heading: heading(result), tables: [], plots: [] };
    try {
      const withLabels = result.kind === 'estimation' && !(result as EstimationResult).labels ? { ...result, labels } : result;
      item.tables = tablesForResult(withLabels as CommandResult, all, display).map((model, j) => ({ id: `t${index}-${j}`, title: model.title ?? item.heading, model }));
    } catch (e) {
      item.error = e instanceof ResultsError ? e.message : `could not show this result: ${String((e as Error)?.message ?? e)}`;
    }
    if (result.kind === 'estimation' && (result as EstimationResult).event_time?.length) {
      item.plots.push({ id: `p${index}`, kind: 'eventStudy', title: `Event study: ${(result as EstimationResult).depvar}`, result: result as EstimationResult });
    }
    if (result.kind === 'placebo' && Array.isArray((result as PlaceboResult).draws) && (result as PlaceboResult).draws.length) {
      item.plots.push({ id: `p${index}`, kind: 'placebo', title: 'Placebo estimates', result: result as PlaceboResult });
    }
    if (result.kind === 'bacon' && Array.isArray((result as BaconResultJson).two_by_twos) && (result as BaconResultJson).two_by_twos.length) {
      const b = result as BaconResultJson;
      item.plots.push({ id: `p${index}`, kind: 'bacon', title: `Goodman-Bacon decomposition: ${b.treat} on ${b.depvar}`, result: b });
    }
    if (result.kind === 'ritest' && Array.isArray((result as RitestResult).draws) && (result as RitestResult).draws.length) {
      item.plots.push({ id: `p${index}`, kind: 'placebo', title: `Randomization inference: ${(result as RitestResult).term}`, result: ritestAsPlacebo(result as RitestResult) });
    }
    if (result.kind === 'plot' && (result as CoefplotResult).plot === 'coefplot') {
      const c = result as CoefplotResult;
      item.plots.push({ id: `p${index}`, kind: 'coefplot', title: c.title || `Coefficients: ${(c.models ?? []).join(', ')}`, result: c });
    }
    return item;
  });
}

export function findTable(items: PanelItem[], id: string): PanelTable | undefined {
  for (const it of items) for (const t of it.tables) if (t.id === id) return t;
  return undefined;
}

export function findPlot(items: PanelItem[], id: string): PanelPlot | undefined {
  for (const it of items) for (const p of it.plots) if (p.id === id) return p;
  return undefined;
}

/** The plot as SVG: themed (currentColor) for the panel, fixed colours for files. */
export function plotSvg(plot: PanelPlot, standalone: boolean, decimals?: number): string {
  if (plot.kind === 'coefplot') return coefPlotSvg(plot.result as CoefplotResult, { standalone }); // its own title(), if any, in both
  if (plot.kind === 'bacon') return baconSvg(plot.result as BaconResultJson, { standalone, decimals, title: standalone ? plot.title : undefined });
  return plot.kind === 'eventStudy'
    ? eventStudySvg(plot.result as EstimationResult, { standalone, title: standalone ? plot.title : undefined })
    : placeboSvg(plot.result as PlaceboResult, { standalone, decimals, title: standalone ? plot.title : undefined });
}

/** A file name from a title: letters, digits, dashes. */
export function fileStem(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'table'
  );
}

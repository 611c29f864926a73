// Which tables a result shows. The CLI's text output, the webview and the exports all ask here,
// so an esttab looks the same in the terminal, the panel and the .tex file.

import type { CommandResult, EstimationResult, IndexResult, SummaryResult, TableResult } from './types';
import { type TableOptions, regressionTable } from './regressionTable';
import { coefficientTable } from './coefTable';
import { eventTimeTable, indexWeightsTable, summaryTable } from './summaryTable';
import type { TableModel } from './tableModel';
import { ResultsError } from './errors';
import { describeTable, tabstatTable, tabulateTable } from './descriptiveTables';
import { csdidTables, isCsdid } from './csdidTables';
import { baconTable } from './baconTable';

/** Display settings from the user (VS Code settings or CLI flags). */
export interface DisplayOptions {
  decimals?: number;
  stars?: readonly number[];
}

export const isEstimation = (r: CommandResult): r is EstimationResult => r.kind === 'estimation';
export const isSummary = (r: CommandResult): r is SummaryResult => r.kind === 'summary';
export const isTable = (r: CommandResult): r is TableResult => r.kind === 'table';
export const isIndex = (r: CommandResult): r is IndexResult => r.kind === 'index';

/**
 * The models an esttab shows, as Stata picks them: the named ones (the latest stored under each
 * name before the esttab), or without names every stored model, or else the last estimate.
 */
export function resolveEsttabModels(table: TableResult, results: CommandResult[]): EstimationResult[] {
  const before = results.filter(isEstimation).filter((r) => table.line === undefined || r.line === undefined || r.line < table.line);
  const pool = before.length ? before : results.filter(isEstimation);
  if (table.models.length) {
    return table.models.map((name) => {
      const found = [...pool].reverse().find((r) => r.name === name);
      if (!found) throw new ResultsError(`esttab: no stored model named "${name}" (name models with eststo NAME: ...)`);
      return found;
    });
  }
  const named = pool.filter((r) => r.name !== null && r.name !== undefined);
  if (named.length) {
    // The latest under each name, in the order the names first appear.
    const names = [...new Set(named.map((r) => r.name as string))];
    return names.map((n) => [...named].reverse().find((r) => r.name === n)!);
  }
  if (pool.length) return [pool[pool.length - 1]];
  throw new ResultsError('esttab: no estimation results to tabulate');
}

export function esttabOptions(table: TableResult, display: DisplayOptions = {}): TableOptions {
  return {
    keep: table.keep,
    drop: table.drop,
    order: table.order,
    rename: table.rename,
    title: table.title,
    mtitles: table.mtitles,
    labels: table.labels,
    // the spec's own decimals()/fmt() win over the editor's default
    decimals: typeof table.decimals === 'number' ? table.decimals : display.decimals,
    paren: table.paren === 'se' ? undefined : table.paren,
    stars: display.stars,
    // estout-style options the spec wrote (absent in older JSON: the defaults)
    bFormat: table.b_format,
    parenFormat: table.paren_format,
    starLevels: table.star_levels,
    statRows: table.stat_rows,
    indicate: table.indicate,
    indicateLabels: table.indicate_labels,
    numbers: table.numbers,
    mtitleRow: table.mtitle_row,
    notes: table.notes,
    addnotes: table.addnotes,
  };
}

export function esttabModel(table: TableResult, results: CommandResult[], display: DisplayOptions = {}): TableModel {
  return regressionTable(resolveEsttabModels(table, results), esttabOptions(table, display));
}

/** Variable labels merged from every result that carries them (later ones win). */
export function collectLabels(results: CommandResult[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of results) if ((r.kind === 'estimation' || r.kind === 'table') && r.labels) Object.assign(out, r.labels);
  return out;
}

/**
 * An IV model's first stages side by side (one column per endogenous variable: the excluded
 * instruments and exogenous regressors, N, clusters and the first-stage F), as ivreghdfe's `first`.
 */
export function firstStageTable(result: EstimationResult, display: DisplayOptions = {}): TableModel {
  const columns: EstimationResult[] = (result.first_stage ?? []).map((fs) => ({
    ...result,
    depvar: fs.endog,
    coefficients: fs.coefficients,
    omitted: [],
    first_stage: [fs],
  }));
  return regressionTable(columns, {
    ...display,
    labels: result.labels,
    title: `First stage${result.name ? ` of ${result.name}` : ''} (line ${result.line})`,
    stats: ['fe', 'nobs', 'clusters', 'first_f'],
  });
}

/**
 * The tables one result shows on its own: an estimation's one-column regression table (plus its
 * event-time table), a summary's Table 2, an esttab's side-by-side table, entropy weights.
 */
export function tablesForResult(result: CommandResult, all: CommandResult[], display: DisplayOptions = {}): TableModel[] {
  if (isCsdid(result)) return csdidTables(result, display);
  if (isEstimation(result)) {
    const title = `${result.name ? `${result.name}: ` : ''}${result.command} ${result.depvar}${result.line ? ` (line ${result.line})` : ''}`;
    const tables = [coefficientTable(result, { decimals: display.decimals, labels: result.labels, title })];
    if (result.command === 'did_imputation') tables[0].notes.push(...imputationNotes(result));
    if (result.event_time?.length) tables.push(eventTimeTable(result, display));
    if (result.first_stage?.length) tables.push(firstStageTable(result, display));
    return tables;
  }
  if (isSummary(result)) return [summaryTable(result, { decimals: display.decimals, title: 'Descriptive statistics' })];
  if (isTable(result)) return [esttabModel(result, all, display)];
  if (isIndex(result)) return [indexWeightsTable(result, display)];
  if (result.kind === 'bacon') return [baconTable(result, display)];
  const t =
    result.kind === 'tabstat' ? tabstatTable(result, display) : result.kind === 'tabulate' ? tabulateTable(result) : result.kind === 'describe' ? describeTable(result) : undefined;
  return t ? [t] : [];
}

/** did_imputation: where its rows come from, and the joint pre-trend test. */
function imputationNotes(r: EstimationResult): string[] {
  const out = ['tau: imputation estimates (Borusyak-Jaravel-Spiess), SEs by their Theorem 3; intervals -/+ 1.96 SE'];
  if (r.pretrend) out.push(`pre1..: leads from the regression on untreated rows; joint test F(${r.pretrend.df}, ${r.pretrend.df2}) = ${r.pretrend.f.toFixed(2)}, p = ${r.pretrend.p.toFixed(3)}`);
  return out;
}

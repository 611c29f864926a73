// The results page as one HTML string: strict CSP (nothing remote, scripts and styles only with
// the nonce), every data-derived string escaped, tables and plots drawn by the shared results
// library. Pure: testable without VS Code.

import { escapeHtml } from '../../../server/src/results/render/escape';
import { renderHtml } from '../../../server/src/results/render/html';
import { FORMAT_LABEL, type TableFormat } from '../../../server/src/results/render/index';
import { formatCount } from '../../../server/src/results/format';
import { renderResult } from '../../../server/src/results/render/resultText';
import type { DisplayOptions } from '../../../server/src/results/tables';
import { type PanelItem, panelItems, plotSvg } from '../panelModel';
import { type PanelState, slimForState } from '../resultsState';
import { pageShell } from './shell';
import { itemAnchor, tocHtml } from './toc';

export { contentSecurityPolicy, jsonForScript } from './shell';

export interface PageOptions {
  cspSource: string; // webview.cspSource
  nonce: string;
  display: DisplayOptions;
  fileLabel?: string; // the spec's name as shown in the header
  history?: boolean; // offer the History button (the extension keeps runs)
}

const EXPORT_FORMATS: TableFormat[] = ['latex', 'markdown', 'html', 'csv', 'docx'];

export function buildPage(state: PanelState | undefined, opts: PageOptions): string {
  const body: string[] = [];
  const title = opts.fileLabel ?? (state ? state.output.file || state.uri : 'PanelSpec results');
  body.push('<header class="ps-top">');
  body.push(`<h1 title="${escapeHtml(state?.uri ?? '')}">${escapeHtml(title)}</h1>`);
  body.push('<span class="ps-spinner" role="status" aria-live="polite">Running…</span>');
  // shown with the spinner (body.ps-running): stops the run in progress
  body.push('<button class="ps-stop" data-action="stop" title="Stop the run (PanelSpec: Stop Run)">■ Stop</button>');
  if (state?.updated) body.push(`<span class="ps-meta">${escapeHtml(state.updated.replace('T', ' ').slice(0, 19))}</span>`);
  // the spec's earlier runs (kept by the extension), to open or compare
  if (opts.history) body.push('<button data-action="history" title="Earlier runs of this spec: open one, or compare two">History</button>');
  const items = state ? panelItems(state.output, opts.display) : [];
  // Every table of the run in one file (a paper's tables in one .docx or .tex).
  if (items.some((i) => i.tables.length)) {
    body.push(
      '<span class="ps-actions ps-all"><span class="ps-sep">All tables:</span>' +
        (['latex', 'docx'] as const).map((f) => `<button data-action="exportAll" data-format="${f}">${FORMAT_LABEL[f]}</button>`).join('') +
        '</span>',
    );
  }
  body.push('</header>');
  body.push('<main>');
  if (state?.error) body.push(errorBox(state.error.message, state.error.line, state.error.character, !!state.previous?.length));
  if (!items.length && !state?.error) {
    body.push(`<p class="ps-empty">${state?.running ? 'Running…' : 'No results yet. Run a spec with PanelSpec: Run File (Ctrl+Shift+Enter).'}</p>`);
  }
  body.push(tocHtml(items));
  const marks = { stale: new Set(state?.stale ?? []), previous: new Set(state?.previous ?? []) };
  for (const item of items) body.push(itemHtml(item, opts, marks));
  body.push('</main>');

  return pageShell({
    title,
    body,
    cspSource: opts.cspSource,
    nonce: opts.nonce,
    bodyClass: state?.running ? 'ps-running' : undefined,
    state: state ? slimForState(state) : undefined,
  });
}

/** The run's error; a link to the line when the error has one (line < 0: no position). */
function errorBox(message: string, line: number, character: number, keptEarlier: boolean): string {
  const hasLine = Number.isInteger(line) && line >= 0;
  const at = hasLine
    ? ` <a class="ps-link" href="#" data-action="reveal" data-line="${line}" data-character="${Math.max(0, Math.floor(character) || 0)}">line ${line + 1}</a>`
    : '';
  const stopped = hasLine ? `<p class="ps-stopped">The run stopped at line ${line + 1}.${keptEarlier ? ' Results marked <em>from an earlier run</em> were not produced by this run.' : ''}</p>` : '';
  return `<div class="ps-error" role="alert"><strong>Error</strong>${at}: ${escapeHtml(message)}${stopped}</div>`;
}

/**
 * One result's section. `readOnly` (a kept run from the history): no copy, export or save buttons,
 * since they act on the panel's current results.
 */
export function itemHtml(item: PanelItem, opts: PageOptions, marks: { stale: Set<number>; previous: Set<number> }, readOnly = false): string {
  const line = item.result.line;
  const stale = typeof line === 'number' && marks.stale.has(line);
  const previous = typeof line === 'number' && marks.previous.has(line);
  const cls = `${stale ? ' ps-stale' : ''}${previous ? ' ps-previous' : ''}`;
  const out: string[] = [`<section id="${itemAnchor(item)}" class="ps-item ps-kind-${escapeHtml(item.result.kind.replace(/[^a-z_]/gi, ''))}${cls}">`];
  const badges =
    (stale ? '<span class="ps-badge ps-badge-stale" title="The statement changed since it ran: run it again">stale: edited since it ran</span>' : '') +
    (previous ? '<span class="ps-badge ps-badge-previous" title="The last run failed or was stopped before this statement">from an earlier run</span>' : '');
  out.push(`<h2>${escapeHtml(item.heading)}${badges}</h2>`);
  if (item.error) out.push(`<div class="ps-error">${escapeHtml(item.error)}</div>`);
  // The figure first: an event study's dummies make a long table below it.
  for (const p of item.plots) {
    let themed: string;
    try {
      themed = plotSvg(p, false, opts.display.decimals);
    } catch (e) {
      out.push(`<div class="ps-error">${escapeHtml((e as Error).message)}</div>`);
      continue;
    }
    out.push(`<figure class="ps-figure" id="${escapeHtml(p.id)}">${themed}</figure>`);
    if (!readOnly)
      out.push(
      `<div class="ps-actions"><button data-action="svg" data-plot="${escapeHtml(p.id)}">Save SVG</button>` +
        `<button data-action="png" data-plot="${escapeHtml(p.id)}">Save PNG</button>` +
        `<button data-action="pdf" data-plot="${escapeHtml(p.id)}">Save PDF</button></div>`,
    );
  }
  for (const t of item.tables) {
    // A model's own table repeats the section heading as its title: the panel shows it once
    // (exports keep the title).
    const model = item.result.kind === 'estimation' && t.id.endsWith('-0') ? { ...t.model, title: undefined } : t.model;
    out.push(`<div class="ps-table-wrap">${renderHtml(model, { id: t.id })}</div>`);
    if (!readOnly) out.push(tableActions(t.id));
  }
  if (!item.tables.length && !item.plots.length && !item.error) out.push(`<p class="ps-line">${escapeHtml(oneLine(item))}</p>`);
  out.push('</section>');
  return out.join('\n');
}

function tableActions(id: string): string {
  const tid = escapeHtml(id);
  return (
    '<div class="ps-actions">' +
    `<button data-action="copy" data-table="${tid}" data-format="latex">Copy as LaTeX</button>` +
    `<button data-action="copy" data-table="${tid}" data-format="markdown">Copy as Markdown</button>` +
    `<button data-action="copy" data-table="${tid}" data-format="html" title="Rich text: pastes as a table into Word">Copy for Word</button>` +
    `<button data-action="copy" data-table="${tid}" data-format="tsv" title="Tab-separated: pastes into Excel cells">Copy for Excel</button>` +
    '<span class="ps-sep">Export:</span>' +
    EXPORT_FORMATS.map((f) => `<button data-action="export" data-table="${tid}" data-format="${f}">${FORMAT_LABEL[f]}</button>`).join('') +
    '</div>'
  );
}

function oneLine(item: PanelItem): string {
  const r = item.result;
  if (r.kind === 'data') return `${r.file}: ${formatCount(r.rows, true)} rows, ${formatCount(r.columns, true)} columns`;
  return renderResult(r, [r]).trim();
}

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
import { PAGE_CSS } from './styles';
import { webviewMain } from './script';

export interface PageOptions {
  cspSource: string; // webview.cspSource
  nonce: string;
  display: DisplayOptions;
  fileLabel?: string; // the spec's name as shown in the header
}

const EXPORT_FORMATS: TableFormat[] = ['latex', 'markdown', 'html', 'csv', 'docx'];

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&` or line separators raw. */
export function jsonForScript(x: unknown): string {
  return JSON.stringify(x)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function buildPage(state: PanelState | undefined, opts: PageOptions): string {
  const nonce = escapeHtml(opts.nonce);
  const body: string[] = [];
  const title = opts.fileLabel ?? (state ? state.output.file || state.uri : 'PanelSpec results');
  body.push('<header class="ps-top">');
  body.push(`<h1 title="${escapeHtml(state?.uri ?? '')}">${escapeHtml(title)}</h1>`);
  body.push('<span class="ps-spinner" role="status" aria-live="polite">Running…</span>');
  if (state?.updated) body.push(`<span class="ps-meta">${escapeHtml(state.updated.replace('T', ' ').slice(0, 19))}</span>`);
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
  if (state?.error) body.push(errorBox(state.error.message, state.error.line, state.error.character));
  if (!items.length && !state?.error) {
    body.push(`<p class="ps-empty">${state?.running ? 'Running…' : 'No results yet. Run a spec with PanelSpec: Run File (Ctrl+Shift+Enter).'}</p>`);
  }
  const pngSources: string[] = [];
  for (const item of items) body.push(itemHtml(item, opts, pngSources));
  body.push('</main>');

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    // Quotes in the policy stay literal (the attribute is double-quoted); only `"`, `<`, `&` would break it.
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.cspSource, opts.nonce).replace(/[&"<>]/g, (c) => escapeHtml(c))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${escapeHtml(title)}</title>`,
    `<style nonce="${nonce}">${PAGE_CSS}</style>`,
    '</head>',
    `<body${state?.running ? ' class="ps-running"' : ''}>`,
    ...body,
    state ? `<script type="application/json" id="ps-state" nonce="${nonce}">${jsonForScript(slimForState(state))}</script>` : '',
    ...pngSources,
    `<script nonce="${nonce}">(${webviewMain.toString()})();</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The run's error; a link to the line when the error has one (line < 0: no position). */
function errorBox(message: string, line: number, character: number): string {
  const at =
    Number.isInteger(line) && line >= 0
      ? ` <a class="ps-link" href="#" data-action="reveal" data-line="${line}" data-character="${Math.max(0, Math.floor(character) || 0)}">line ${line + 1}</a>`
      : '';
  return `<div class="ps-error" role="alert"><strong>Error</strong>${at}: ${escapeHtml(message)}</div>`;
}

function itemHtml(item: PanelItem, opts: PageOptions, pngSources: string[]): string {
  const out: string[] = [`<section class="ps-item ps-kind-${escapeHtml(item.result.kind.replace(/[^a-z_]/gi, ''))}">`];
  out.push(`<h2>${escapeHtml(item.heading)}</h2>`);
  if (item.error) out.push(`<div class="ps-error">${escapeHtml(item.error)}</div>`);
  // The figure first: an event study's dummies make a long table below it.
  for (const p of item.plots) {
    let themed: string;
    let standalone: string;
    try {
      themed = plotSvg(p, false, opts.display.decimals);
      standalone = plotSvg(p, true, opts.display.decimals);
    } catch (e) {
      out.push(`<div class="ps-error">${escapeHtml((e as Error).message)}</div>`);
      continue;
    }
    out.push(`<figure class="ps-figure" id="${escapeHtml(p.id)}">${themed}</figure>`);
    out.push(
      `<div class="ps-actions"><button data-action="svg" data-plot="${escapeHtml(p.id)}">Save SVG</button>` +
        `<button data-action="png" data-plot="${escapeHtml(p.id)}">Save PNG</button></div>`,
    );
    const size = /width="(\d+)" height="(\d+)"/.exec(standalone);
    pngSources.push(
      `<script type="application/json" id="ps-svg-${escapeHtml(p.id)}">${jsonForScript({ svg: standalone, width: Number(size?.[1] ?? 640), height: Number(size?.[2] ?? 400) })}</script>`,
    );
  }
  for (const t of item.tables) {
    // A model's own table repeats the section heading as its title: the panel shows it once
    // (exports keep the title).
    const model = item.result.kind === 'estimation' && t.id.endsWith('-0') ? { ...t.model, title: undefined } : t.model;
    out.push(`<div class="ps-table-wrap">${renderHtml(model, { id: t.id })}</div>`);
    out.push(tableActions(t.id));
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

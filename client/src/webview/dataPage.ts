// The data viewer page: a toolbar (row count, filter, reload), the grid (dataGrid.ts) with a sort
// on each column's name and a profile strip under it (type, missing, moments or distinct values, a
// small histogram). Strict CSP: one nonce'd script and style, nothing remote.

import { escapeHtml } from '../../../server/src/results/render/escape';
import { contentSecurityPolicy } from './page';
import { dataViewerMain, formatCell, type GridConfig, pagesToRequest, profileView, scrollTopFor, viewportAt } from './dataGrid';

export const DATA_GRID: GridConfig = {
  pageSize: 200,
  rowH: 22,
  // Chromium caps an element's height near 33.5M px; stay well below it (1M rows x 22 px is 22M)
  maxScrollPx: 8_000_000,
  maxInFlight: 4,
  maxPages: 400,
};

/** The profile strip's height: three lines of text and the histogram. */
const PROFILE_H = 66;

const CSS = `
:root { color-scheme: light dark; }
html, body { height: 100%; margin: 0; overflow: hidden; }
body { display: flex; flex-direction: column; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
#ps-bar { display: flex; align-items: center; gap: 8px; padding: 4px 8px; border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#ps-info { color: var(--vscode-descriptionForeground); padding: 2px 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
#ps-filter { flex: 1; min-width: 8em; font-family: var(--vscode-editor-font-family); background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 6px; }
#ps-filter:focus { outline: 1px solid var(--vscode-focusBorder); }
#ps-filter.invalid { border-color: var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); }
#ps-bar button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 8px; cursor: pointer; }
#ps-bar button:hover { background: var(--vscode-button-secondaryHoverBackground); }
#ps-status { color: var(--vscode-errorForeground); padding: 2px 8px; white-space: pre-wrap; }
#ps-status:empty { display: none; }
#ps-scroll { flex: 1; overflow: auto; position: relative; outline: none; }
#ps-view { position: sticky; top: 0; overflow-y: clip; width: max-content; min-width: 100%; contain: layout paint; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); font-variant-numeric: tabular-nums; }
#ps-spacer { width: 1px; }
#ps-head { position: relative; z-index: 2; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); border-bottom: 1px solid var(--vscode-editor-foreground); width: max-content; }
#ps-body { will-change: transform; }
.row { display: flex; }
.cell { flex: none; box-sizing: border-box; height: ${DATA_GRID.rowH}px; line-height: ${DATA_GRID.rowH - 1}px; padding: 0 8px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; contain: strict; border-right: 1px solid var(--vscode-editorIndentGuide-background, transparent); }
.cell.num { text-align: right; }
.cell.missing { color: var(--vscode-descriptionForeground); }
.cell.labelled { color: var(--vscode-textLink-foreground); }
.row.odd .cell { background: var(--vscode-list-hoverBackground, transparent); }
.cell.rowno { position: sticky; left: 0; z-index: 1; text-align: right; color: var(--vscode-editorLineNumber-foreground); background: var(--vscode-editor-background); }
.row.odd .cell.rowno { background: var(--vscode-editor-background); }
#ps-head .cell { background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); }
#ps-head .cell.rowno { z-index: 3; }
.cell.name { font-weight: 600; cursor: pointer; user-select: none; font-family: var(--vscode-font-family); }
.cell.name:hover { background: var(--vscode-list-hoverBackground); }
.cell.name:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.cell.profile { height: ${PROFILE_H}px; line-height: 1.25; font-size: 0.85em; color: var(--vscode-descriptionForeground); padding: 2px 8px 4px; }
.cell.profile div { overflow: hidden; text-overflow: ellipsis; }
.cell.profile svg.bars { display: block; width: 100%; height: 16px; margin-top: 2px; }
.cell.profile svg.bars rect { fill: var(--vscode-charts-blue, var(--vscode-textLink-foreground)); }
`;

export function buildDataPage(opts: { cspSource: string; nonce: string; title: string }): string {
  const nonce = escapeHtml(opts.nonce);
  const title = escapeHtml(opts.title);
  const helpers = `{ viewportAt: ${viewportAt}, scrollTopFor: ${scrollTopFor}, pagesToRequest: ${pagesToRequest}, formatCell: ${formatCell}, profileView: ${profileView} }`;
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.cspSource, opts.nonce).replace(/[&"<>]/g, (c) => escapeHtml(c))}">`,
    `<title>${title}</title>`,
    `<style nonce="${nonce}">${CSS}</style></head><body>`,
    '<div id="ps-bar">',
    '<input id="ps-filter" type="text" spellcheck="false" autocomplete="off" aria-label="Filter rows (an if expression)" placeholder="Filter: an if expression, e.g. year >= 2015 &amp; treat == 1 (Enter)">',
    '<button id="ps-clear" title="Clear the filter (Escape)">Clear</button>',
    '<button id="ps-reload" title="Read the data again">Reload</button>',
    '</div>',
    `<div id="ps-info" data-title="${title}">${title}: loading…</div>`,
    '<div id="ps-status" role="status"></div>',
    '<div id="ps-scroll" tabindex="0"><div id="ps-view" role="grid" aria-readonly="true"><div id="ps-head"><div id="ps-names" class="row" role="row"></div><div id="ps-profiles" class="row"></div></div><div id="ps-body"></div></div><div id="ps-spacer"></div></div>',
    `<script nonce="${nonce}">(${dataViewerMain})(${JSON.stringify(DATA_GRID)}, ${helpers});</script>`,
    '</body></html>',
  ].join('\n');
}

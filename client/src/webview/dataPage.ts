// The data viewer page: a read-only grid that only draws the rows in view (fixed row height,
// padding rows for the rest) and asks the extension for pages of rows as it scrolls.

import { escapeHtml } from '../../../server/src/results/render/escape';
import { contentSecurityPolicy } from './page';

export const DATA_PAGE_SIZE = 200;
export const DATA_ROW_HEIGHT = 22;

const CSS = `
body { margin: 0; padding: 0; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
header { padding: 6px 10px; color: var(--vscode-descriptionForeground); border-bottom: 1px solid var(--vscode-panel-border, transparent); }
#ps-scroll { position: absolute; top: 32px; bottom: 0; left: 0; right: 0; overflow: auto; }
table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-variant-numeric: tabular-nums; }
thead th { position: sticky; top: 0; z-index: 1; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); border-bottom: 1px solid var(--vscode-editor-foreground); text-align: left; }
th, td { height: ${DATA_ROW_HEIGHT - 1}px; padding: 0 8px; white-space: nowrap; border-right: 1px solid var(--vscode-editorIndentGuide-background, transparent); }
td.num { text-align: right; }
td.missing { color: var(--vscode-descriptionForeground); }
tbody tr:nth-child(even):not(.pad) { background: var(--vscode-list-hoverBackground, transparent); }
tr.pad { background: transparent; }
td.rowno { color: var(--vscode-editorLineNumber-foreground); text-align: right; }
`;

export function buildDataPage(opts: { cspSource: string; nonce: string; title: string }): string {
  const nonce = escapeHtml(opts.nonce);
  return [
    '<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.cspSource, opts.nonce).replace(/[&"<>]/g, (c) => escapeHtml(c))}">`,
    `<title>${escapeHtml(opts.title)}</title>`,
    `<style nonce="${nonce}">${CSS}</style></head><body>`,
    `<header id="ps-info">${escapeHtml(opts.title)}: loading…</header>`,
    '<div id="ps-scroll"><table id="ps-grid"><thead></thead><tbody></tbody></table></div>',
    `<script nonce="${nonce}">(${dataViewerMain.toString()})(${DATA_PAGE_SIZE}, ${DATA_ROW_HEIGHT});</script>`,
    '</body></html>',
  ].join('\n');
}

/** Which pages cover rows [first, last) and are neither loaded nor requested. */
export function pagesToRequest(first: number, last: number, pageSize: number, have: ReadonlySet<number>): number[] {
  const out: number[] = [];
  for (let p = Math.floor(Math.max(0, first) / pageSize); p * pageSize < last; p++) if (!have.has(p)) out.push(p);
  return out;
}

// Self-contained (injected as source text); the browser objects it uses are typed loosely here
// because the project compiles without the DOM library.
/* eslint-disable @typescript-eslint/no-explicit-any */
export function dataViewerMain(pageSize: number, rowH: number): void {
  const w = globalThis as any;
  const vscode = w.acquireVsCodeApi();
  const doc = w.document;
  const scroller = doc.getElementById('ps-scroll');
  const grid = doc.getElementById('ps-grid');
  const thead = grid.querySelector('thead');
  const tbody = grid.querySelector('tbody');
  const info = doc.getElementById('ps-info');
  const pages = new Map<number, unknown[][]>();
  const requested = new Set<number>();
  let columns: { name: string; label?: string; type: string }[] = [];
  let total = -1;

  function need(first: number, last: number): void {
    for (let p = Math.floor(Math.max(0, first) / pageSize); p * pageSize < last; p++) {
      if (pages.has(p) || requested.has(p)) continue;
      requested.add(p);
      vscode.postMessage({ type: 'need', offset: p * pageSize, limit: pageSize });
    }
  }

  function draw(): void {
    if (total < 0) return;
    const first = Math.max(0, Math.floor(scroller.scrollTop / rowH) - 10);
    const count = Math.ceil(scroller.clientHeight / rowH) + 20;
    const last = Math.min(total, first + count);
    need(first, last);
    tbody.textContent = '';
    // Empty rows above and below stand for the rows not drawn, so the scrollbar spans the whole
    // dataset and the sticky header keeps working (heights set through the CSSOM, which the CSP allows).
    const pad = (rows: number): void => {
      if (rows <= 0) return;
      const tr = doc.createElement('tr');
      tr.className = 'pad';
      tr.style.height = `${rows * rowH}px`;
      tbody.appendChild(tr);
    };
    pad(first);
    for (let i = first; i < last; i++) {
      const row = pages.get(Math.floor(i / pageSize))?.[i % pageSize];
      const tr = doc.createElement('tr');
      const no = doc.createElement('td');
      no.className = 'rowno';
      no.textContent = String(i + 1);
      tr.appendChild(no);
      columns.forEach((c, j) => {
        const td = doc.createElement('td');
        const v = row ? row[j] : undefined;
        if (v === null) {
          td.className = 'missing' + (c.type === 'numeric' ? ' num' : '');
          td.textContent = c.type === 'numeric' ? '.' : '';
        } else {
          if (c.type === 'numeric') td.className = 'num';
          // Numbers to 8 significant digits, roughly what Stata's browser shows.
          td.textContent = v === undefined ? '…' : typeof v === 'number' && !Number.isInteger(v) ? String(+v.toPrecision(8)) : String(v);
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
    pad(total - last);
  }

  w.addEventListener('message', (e: any) => {
    const m = e.data;
    if (!m) return;
    if (m.type === 'error') {
      info.textContent = m.message;
      return;
    }
    if (m.type !== 'page') return;
    if (total < 0 || m.page.total !== total) {
      total = m.page.total;
      columns = m.page.columns;
      thead.textContent = '';
      const tr = doc.createElement('tr');
      tr.appendChild(doc.createElement('th'));
      for (const c of columns) {
        const th = doc.createElement('th');
        th.textContent = c.name;
        if (c.label) th.title = c.label;
        tr.appendChild(th);
      }
      thead.appendChild(tr);
    }
    const p = Math.floor(m.page.offset / pageSize);
    pages.set(p, m.page.rows);
    requested.delete(p);
    info.textContent = `${m.title}: ${total.toLocaleString()} rows × ${columns.length} columns (read-only)`;
    draw();
  });
  scroller.addEventListener('scroll', () => w.requestAnimationFrame(draw));
  w.addEventListener('resize', () => draw());
  vscode.postMessage({ type: 'need', offset: 0, limit: pageSize });
  requested.add(0);
}

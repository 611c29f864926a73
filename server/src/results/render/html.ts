// HTML tables: a <table> fragment for the results webview (styled by the page's theme-aware CSS)
// and a self-contained document for "Export as HTML". Every string is escaped.

import { formatCount } from '../format';
import { parenMarks, type Cell, type TableModel } from '../tableModel';
import { escapeHtml } from './escape';

export { escapeHtml };

function cell(c: Cell): string {
  switch (c.kind) {
    case 'estimate':
      return `${escapeHtml(c.text)}${c.stars ? `<span class="ps-stars">${escapeHtml(c.stars)}</span>` : ''}`;
    case 'paren':
      return `<span class="ps-se">${parenMarks(c).join(escapeHtml(c.text))}</span>`;
    case 'count':
      return escapeHtml(formatCount(c.value, true));
    case 'text':
      return escapeHtml(c.text);
    case 'empty':
      return '';
  }
}

export function renderHtml(model: TableModel, opts: { id?: string } = {}): string {
  const out: string[] = [];
  out.push(`<table class="ps-table"${opts.id ? ` id="${escapeHtml(opts.id)}"` : ''}>`);
  if (model.title) out.push(`<caption>${escapeHtml(model.title)}</caption>`);
  out.push('<thead>');
  for (const h of model.headers) {
    out.push(`<tr><th scope="col" class="ps-stub">${escapeHtml(h.stub)}</th>${h.cells.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`);
  }
  out.push('</thead>');
  for (const section of model.sections) {
    out.push('<tbody>');
    for (const r of section) {
      out.push(`<tr class="ps-${r.role}"${r.tip ? ` title="${escapeHtml(r.tip)}"` : ''}><th scope="row" class="ps-stub">${escapeHtml(r.label)}</th>${r.cells.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`);
    }
    out.push('</tbody>');
  }
  if (model.notes.length) {
    out.push(`<tfoot><tr><td colspan="${model.ncols + 1}">${model.notes.map(escapeHtml).join('<br>')}</td></tr></tfoot>`);
  }
  out.push('</table>');
  return out.join('\n');
}

/** A standalone page (no scripts, no remote resources) with a booktabs-like look. */
export function renderHtmlDocument(models: TableModel[], title = 'PanelSpec results'): string {
  const css = [
    'body{font-family:Georgia,"Times New Roman",serif;margin:2em;color:#000;background:#fff}',
    '.ps-table{border-collapse:collapse;margin:1.5em 0;border-top:2px solid #000}',
    '.ps-table tbody:last-of-type tr:last-child>*{border-bottom:2px solid #000}',
    '.ps-table caption{font-weight:bold;padding:.4em;caption-side:top}',
    '.ps-table th,.ps-table td{padding:.15em .8em;text-align:center;font-weight:normal}',
    '.ps-table .ps-stub{text-align:left}',
    '.ps-table thead tr:last-child th{border-bottom:1px solid #000}',
    '.ps-table tbody+tbody tr:first-child>*{border-top:1px solid #000}',
    '.ps-table tfoot td{text-align:left;font-size:.85em;padding-top:.3em}',
    '.ps-table .ps-stars{vertical-align:super;font-size:.75em;line-height:0}',
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${css}\n</style></head><body>`,
    ...models.map((m) => renderHtml(m)),
    '</body></html>',
    '',
  ].join('\n');
}

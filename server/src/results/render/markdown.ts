// GitHub-flavoured Markdown tables. Markdown has a single header row, so further header rows
// become the first body rows; stars and other specials are escaped so `***` is not bold.

import { formatCount } from '../format';
import { cleanText } from './escape';
import { type TableModel, cellText } from '../tableModel';

/**
 * Escapes what would break a table cell or be read as markup: pipes, emphasis, code, and a `<` that
 * would open an HTML tag (backslash-escaped, so the copied text still reads `p<0.10`, not `p&lt;0.10`).
 */
export function escapeMarkdown(s: string): string {
  return cleanText(s)
    .replace(/[\\`*_|[\]]/g, '\\$&')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/\r?\n/g, ' ');
}

export function renderMarkdown(model: TableModel): string {
  const row = (stub: string, cells: string[]): string => `| ${[stub, ...cells].map(escapeMarkdown).join(' | ')} |`;
  const lines: string[] = [];
  if (model.title) lines.push(`**${escapeMarkdown(model.title)}**`, '');
  const [first, ...rest] = model.headers.length ? model.headers : [{ stub: '', cells: new Array<string>(model.ncols).fill('') }];
  lines.push(row(first.stub, first.cells));
  lines.push(`| :--- |${' :---: |'.repeat(model.ncols)}`);
  for (const h of rest) lines.push(row(h.stub, h.cells));
  for (const section of model.sections) {
    for (const r of section) lines.push(row(r.label, r.cells.map((c) => cellText(c, true, formatCount))));
  }
  if (model.notes.length) lines.push('', ...model.notes.map((n) => escapeMarkdown(n) + '  '));
  return lines.join('\n').replace(/ +$/, '') + '\n';
}

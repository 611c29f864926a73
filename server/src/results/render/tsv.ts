// Tab-separated text of a table for the clipboard: Excel and Sheets paste it into cells, one table
// row per line (headers, then every section), tabs and line breaks inside a cell turned to spaces.
import { formatCount } from '../format';
import { type TableModel, cellText } from '../tableModel';

const field = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');

export function renderTsv(model: TableModel): string {
  const lines: string[] = [];
  if (model.title) lines.push(field(model.title));
  for (const h of model.headers) lines.push([h.stub, ...h.cells].map(field).join('\t'));
  for (const section of model.sections) for (const r of section) lines.push([r.label, ...r.cells.map((c) => cellText(c, true, formatCount))].map(field).join('\t'));
  for (const n of model.notes) lines.push(field(n));
  return lines.join('\n') + '\n';
}

// CSV (RFC 4180): comma-separated, CRLF line ends, fields with a comma, quote or line break
// quoted with inner quotes doubled. Counts stay plain integers so spreadsheets read numbers.

import { formatCount } from '../format';
import { type TableModel, cellText } from '../tableModel';

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(model: TableModel): string {
  // Every line has the same number of fields (title and notes padded) so that readers that
  // take the first line as the shape (pandas, R's read.csv) parse the whole file.
  const width = model.ncols + 1;
  const row = (cells: string[]): string => [...cells, ...new Array<string>(Math.max(0, width - cells.length)).fill('')].map(csvField).join(',');
  const lines: string[] = [];
  if (model.title) lines.push(row([model.title]));
  for (const h of model.headers) lines.push(row([h.stub, ...h.cells]));
  for (const section of model.sections) for (const r of section) lines.push(row([r.label, ...r.cells.map((c) => cellText(c, false, formatCount))]));
  for (const n of model.notes) lines.push(row([n]));
  return lines.join('\r\n') + '\r\n';
}

// CSV (RFC 4180): comma-separated, CRLF line ends, fields with a comma, quote or line break
// quoted with inner quotes doubled. Counts stay plain integers so spreadsheets read numbers.

import { formatCount } from '../format';
import { cleanText } from './escape';
import { type TableModel, cellText } from '../tableModel';

export function csvField(s: string): string {
  const t = spreadsheetSafe(cleanText(s));
  return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A number as the tables print it: sign, digits with thousands commas, decimals, exponent, stars, %. */
const NUMBER_CELL = /^[-+]?(\d[\d,]*(\.\d*)?|\.\d+)(e[-+]?\d+)?%?\**$/i;

/**
 * These tables are for spreadsheets, which run a cell starting with = + - @ as a formula (a label
 * `=HYPERLINK(...)` from the data would): such a cell that is not a number gets a leading `'`,
 * which spreadsheets show as text. (`export delimited` writes data as it is.)
 */
function spreadsheetSafe(s: string): string {
  return /^[=+\-@]/.test(s) && !NUMBER_CELL.test(s) ? `'${s}` : s;
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

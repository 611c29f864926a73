// Plain-text tables for the terminal (the CLI without --json): right-aligned numbers with the
// decimal points lined up (stars hang to the right), rules between sections.

import { formatCount } from '../format';
import { parenMarks, type Cell, type TableModel } from '../tableModel';

export function renderText(model: TableModel): string {
  const ncols = model.ncols;
  // Each data column: width of the number part and of the star part, so points line up.
  const numW = new Array<number>(ncols).fill(0);
  const starW = new Array<number>(ncols).fill(0);
  const allRows = model.sections.flat();
  for (const row of allRows) {
    row.cells.forEach((c, j) => {
      const [n, s] = parts(c);
      numW[j] = Math.max(numW[j], len(n));
      starW[j] = Math.max(starW[j], len(s));
    });
  }
  const colW = numW.map((w, j) => {
    let m = w + starW[j];
    for (const h of model.headers) m = Math.max(m, len(h.cells[j] ?? ''));
    return m;
  });
  const stubW = Math.max(0, ...model.headers.map((h) => len(h.stub)), ...allRows.map((r) => len(r.label)));
  const total = stubW + colW.reduce((a, w) => a + w + 2, 0);
  const rule = '-'.repeat(total);
  const heavy = '='.repeat(total);

  const lines: string[] = [];
  if (model.title) lines.push(model.title);
  lines.push(heavy);
  for (const h of model.headers) {
    lines.push(padEnd(h.stub, stubW) + h.cells.map((c, j) => '  ' + center(c, colW[j])).join(''));
  }
  model.sections.forEach((section, si) => {
    // no header rows (esttab nonumbers nomtitles): the heavy rule alone opens the body
    if (si > 0 || model.headers.length) lines.push(rule);
    for (const row of section) {
      const cells = row.cells.map((c, j) => {
        const [n, s] = parts(c);
        // Text cells (Yes/No, names) are centred like the headers; numbers align on the point.
        if (c.kind === 'text' && !/^-?[\d.,]+$/.test(c.text)) return '  ' + center(n, colW[j]);
        const body = padStart(n, numW[j]) + padEnd(s, starW[j]);
        return '  ' + padStart(body, colW[j]);
      });
      lines.push(padEnd(row.label, stubW) + cells.join(''));
    }
  });
  lines.push(heavy);
  for (const n of model.notes) lines.push(n);
  return lines.map((l) => l.replace(/\s+$/, '')).join('\n') + '\n';
}

function parts(c: Cell): [string, string] {
  switch (c.kind) {
    case 'estimate':
      return [c.text, c.stars];
    case 'paren':
      // The closing parenthesis hangs like the stars, so decimal points line up.
      return [`${parenMarks(c)[0]}${c.text}`, parenMarks(c)[1]];
    case 'count':
      return [formatCount(c.value, true), ''];
    case 'text':
      return [c.text, ''];
    case 'empty':
      return ['', ''];
  }
}

// Code points, not UTF-16 units, so "R²" and "×" count as one column each.
const len = (s: string): number => [...s].length;
const padEnd = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - len(s)));
const padStart = (s: string, w: number): string => ' '.repeat(Math.max(0, w - len(s))) + s;
function center(s: string, w: number): string {
  const extra = Math.max(0, w - len(s));
  const left = Math.floor(extra / 2);
  return ' '.repeat(left) + s + ' '.repeat(extra - left);
}

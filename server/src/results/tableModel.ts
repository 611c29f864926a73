// The format-neutral table that every renderer draws: a stub column of row labels, one column per
// model (or statistic), header rows, sections separated by rules, and notes. Numbers are already
// formatted to the table's decimals; only integer counts stay numeric, because thousands
// separators belong in text/HTML/Word but not in LaTeX/CSV.

export type Cell =
  | { kind: 'text'; text: string }
  /** A coefficient: number and stars kept apart so renderers can align and style the stars. */
  | { kind: 'estimate'; text: string; stars: string }
  /** A standard error or t statistic, printed in parentheses; a confidence interval, in brackets. */
  | { kind: 'paren'; text: string; brackets?: boolean }
  | { kind: 'count'; value: number }
  | { kind: 'empty' };

export type RowRole = 'coef' | 'se' | 'fe' | 'stat' | 'data';

export interface TableRow {
  label: string;
  cells: Cell[];
  role: RowRole;
  term?: string; // the coefficient's name, for coef/se rows
  tip?: string; // what the row is, in words (the HTML table's tooltip: an ATT(g,t) cell, an event time)
}

export interface HeaderRow {
  stub: string; // text above the label column
  cells: string[];
}

export interface TableModel {
  title?: string;
  headers: HeaderRow[];
  sections: TableRow[][]; // a rule between consecutive sections
  notes: string[];
  ncols: number; // data columns, without the stub
}

export const text = (t: string): Cell => ({ kind: 'text', text: t });

/** The marks around a parenthesised cell: ( ) for a statistic, [ ] for an interval. */
export function parenMarks(c: { brackets?: boolean }): [string, string] {
  return c.brackets ? ['[', ']'] : ['(', ')'];
}
export const empty: Cell = { kind: 'empty' };

/** The plain text of a cell with the renderer's grouping choice for counts (stars appended). */
export function cellText(c: Cell, grouping: boolean, format: (n: number, g: boolean) => string): string {
  switch (c.kind) {
    case 'text':
      return c.text;
    case 'estimate':
      return c.text + c.stars;
    case 'paren': {
      const [open, close] = parenMarks(c);
      return `${open}${c.text}${close}`;
    }
    case 'count':
      return format(c.value, grouping);
    case 'empty':
      return '';
  }
}

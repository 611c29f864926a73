// LaTeX tables for `\input{}`: a booktabs tabular (\toprule \midrule \bottomrule), no preamble.
// With a title it is wrapped in a table float with \caption, as esttab does with title().

import { formatCount } from '../format';
import { cleanText } from './escape';
import { parenMarks, type Cell, type TableModel } from '../tableModel';

export interface LatexOptions {
  float?: boolean; // wrap in \begin{table}; default: when the table has a title
  label?: string; // \label{...} inside the float
}

const SPECIAL: Record<string, string> = {
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '\\': '\\textbackslash{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '²': '\\textsuperscript{2}',
  '×': '$\\times$',
  '−': '$-$',
};

export function escapeLatex(s: string): string {
  return cleanText(s).replace(/[&%$#_{}~^\\<>²×−]/g, (ch) => SPECIAL[ch]).replace(/\r?\n/g, ' ');
}

function cell(c: Cell): string {
  switch (c.kind) {
    case 'estimate':
      return escapeLatex(c.text) + (c.stars ? `\\sym{${c.stars}}` : '');
    case 'paren':
      return parenMarks(c).join(escapeLatex(c.text));
    case 'count':
      return formatCount(c.value, false);
    case 'text':
      return escapeLatex(c.text);
    case 'empty':
      return '';
  }
}

export function renderLatex(model: TableModel, opts: LatexOptions = {}): string {
  const n = model.ncols;
  const useFloat = opts.float ?? Boolean(model.title);
  const line = (cells: string[]): string => cells.join(' & ') + ' \\\\';
  const out: string[] = [];
  // \sym as esttab defines it, so stars sit as superscripts without a preamble change.
  out.push('{\\def\\sym#1{\\ifmmode^{#1}\\else\\(^{#1}\\)\\fi}');
  if (useFloat) {
    out.push('\\begin{table}[htbp]\\centering');
    if (model.title) out.push(`\\caption{${escapeLatex(model.title)}}`);
    if (opts.label) out.push(`\\label{${opts.label.replace(/[^A-Za-z0-9:._-]/g, '')}}`);
  }
  out.push(`\\begin{tabular}{l*{${n}}{c}}`);
  out.push('\\toprule');
  for (const h of model.headers) out.push(line([escapeLatex(h.stub), ...h.cells.map(escapeLatex)]));
  model.sections.forEach((section, i) => {
    // no header rows (esttab nonumbers nomtitles): the top rule alone opens the body
    if (i > 0 || model.headers.length) out.push('\\midrule');
    for (const r of section) out.push(line([escapeLatex(r.label), ...r.cells.map(cell)]));
  });
  out.push('\\bottomrule');
  for (const note of model.notes) out.push(`\\multicolumn{${n + 1}}{l}{\\footnotesize ${escapeLatex(note)}}\\\\`);
  out.push('\\end{tabular}');
  if (useFloat) out.push('\\end{table}');
  out.push('}');
  return out.join('\n') + '\n';
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { regressionTable } from '../../server/src/results/regressionTable';
import { summaryTable } from '../../server/src/results/summaryTable';
import { escapeLatex, renderLatex } from '../../server/src/results/render/latex';
import { escapeMarkdown, renderMarkdown } from '../../server/src/results/render/markdown';
import { renderCsv } from '../../server/src/results/render/csv';
import { renderHtml, renderHtmlDocument } from '../../server/src/results/render/html';
import { renderText } from '../../server/src/results/render/text';
import { tableFormatFromPath } from '../../server/src/results/render/index';
import { coef, estimation, summary } from './fixtures';
import { allText, findAll, parseXml } from './xml';

const HOSTILE = '<img src=x onerror=alert(1)>';
const m1 = estimation();
const m2 = estimation({ name: 'm2', depvar: 'a_b&c', coefficients: [coef('treat', 0.5, 0.1, 0.03), coef('x_1%$#{}~^\\', 2, 1, 0.5)] });

/** RFC 4180 reader, for reading our CSV back. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') (f += '"'), i++;
      else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') row.push(f), (f = '');
    else if (ch === '\r' && s[i + 1] === '\n') row.push(f), rows.push(row), (row = []), (f = ''), i++;
    else f += ch;
  }
  return rows;
}

test('LaTeX: booktabs, balanced tabular, escaped specials, stars, plain N', () => {
  const tex = renderLatex(regressionTable([m1, m2], { title: 'Results: 100% & more' }));
  assert.equal((tex.match(/\\begin\{tabular\}/g) ?? []).length, 1);
  assert.equal((tex.match(/\\end\{tabular\}/g) ?? []).length, 1);
  assert.equal((tex.match(/\\begin\{table\}/g) ?? []).length, (tex.match(/\\end\{table\}/g) ?? []).length);
  assert.ok(tex.indexOf('\\toprule') < tex.indexOf('\\midrule') && tex.indexOf('\\midrule') < tex.indexOf('\\bottomrule'));
  assert.match(tex, /\\begin\{tabular\}\{l\*\{2\}\{c\}\}/);
  assert.match(tex, /\\caption\{Results: 100\\% \\& more\}/);
  assert.match(tex, /treat & 0\.3900\\sym\{\*\*\*\} & 0\.5000\\sym\{\*\*\} \\\\/);
  assert.match(tex, / & \(0\.0770\) & \(0\.1000\) \\\\/);
  assert.ok(tex.includes('x\\_1\\%\\$\\#\\{\\}\\textasciitilde{}\\textasciicircum{}\\textbackslash{}'));
  assert.ok(tex.includes('a\\_b\\&c'));
  assert.match(tex, /^N & 5130 & 5130 \\\\$/m);
  assert.match(tex, /R\\textsuperscript\{2\}/);
  assert.ok(!tex.includes('\\documentclass'));
  // Every body line has ncols+1 cells.
  for (const l of tex.split('\n').filter((l) => l.endsWith('\\\\') && !l.startsWith('\\multicolumn'))) {
    assert.equal(l.replace(/\\&/g, '').split('&').length, 3, l);
  }
  // Braces balance overall (escaped ones aside).
  const bare = tex.replace(/\\[{}]/g, '');
  assert.equal((bare.match(/\{/g) ?? []).length, (bare.match(/\}/g) ?? []).length);
  assert.equal(escapeLatex('a<b'), 'a\\textless{}b');
});

test('LaTeX without title is a bare tabular', () => {
  const tex = renderLatex(regressionTable([m1]));
  assert.ok(!tex.includes('\\begin{table}'));
  assert.ok(tex.includes('\\begin{tabular}'));
});

test('Markdown: one header row, separator, every row the same width, pipes and stars escaped', () => {
  const md = renderMarkdown(regressionTable([m1, m2], { labels: { treat: 'a|b' } }));
  const rows = md.split('\n').filter((l) => l.startsWith('|'));
  assert.match(rows[1], /^\| :--- \| :---: \| :---: \|$/);
  for (const r of rows) assert.equal(r.replace(/\\\|/g, '').split('|').length, 5, r);
  assert.ok(md.includes('| a\\|b | 0.3900\\*\\*\\* | 0.5000\\*\\* |'));
  assert.ok(md.includes('| N | 5,130 | 5,130 |'));
  assert.equal(escapeMarkdown(HOSTILE), '\\<img src=x onerror=alert(1)>');
  assert.equal(escapeMarkdown('* p<0.10, ** p<0.05'), '\\* p<0.10, \\*\\* p<0.05');
});

test('CSV reads back to the same cells (RFC 4180 quoting)', () => {
  const model = regressionTable([m1, m2], { title: 'A "quoted", title', labels: { treat: 'line\nbreak' } });
  const rows = parseCsv(renderCsv(model));
  assert.deepEqual(rows[0], ['A "quoted", title', '', '']);
  // Rectangular: every line has the stub plus one field per model.
  for (const r of rows) assert.equal(r.length, 3);
  assert.deepEqual(rows[1], ['', '(1)', '(2)']);
  assert.deepEqual(rows[3], ['line\nbreak', '0.3900***', '0.5000**']);
  assert.deepEqual(rows[4], ['', '(0.0770)', '(0.1000)']);
  const n = rows.find((r) => r[0] === 'N')!;
  assert.deepEqual(n, ['N', '5130', '5130']);
});

test('HTML escapes a hostile variable name and is well-formed', () => {
  const evil = estimation({ depvar: HOSTILE, coefficients: [coef(HOSTILE, 1, 0.1, 0.001)] });
  const html = renderHtml(regressionTable([evil], { title: HOSTILE }));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  const doc = parseXml(html.replace(/<br>/g, '<br/>'));
  const table = findAll(doc, (e) => e.name === 'table')[0];
  assert.ok(table);
  assert.equal(findAll(table, (e) => e.name === 'img').length, 0);
  assert.ok(allText(table).includes('&lt;img'));
  const page = renderHtmlDocument([regressionTable([evil])], HOSTILE);
  assert.ok(!page.includes('<img') && !page.includes('<script'));
});

test('HTML table shape: header rows, a tbody per section, stars in a span', () => {
  const html = renderHtml(regressionTable([m1, m2]));
  const doc = parseXml(html.replace(/<br>/g, '<br/>'));
  assert.equal(findAll(doc, (e) => e.name === 'thead').length, 1);
  assert.equal(findAll(doc, (e) => e.name === 'tbody').length, 3);
  assert.ok(html.includes('0.3900<span class="ps-stars">***</span>'));
  assert.ok(html.includes('<td>5,130</td>'));
});

test('text: aligned columns with a rule per section', () => {
  const txt = renderText(regressionTable([m1, m2]));
  const lines = txt.trimEnd().split('\n');
  assert.ok(lines.some((l) => /^treat\s+0\.3900\*\*\*\s+0\.5000\*\*$/.test(l)));
  assert.ok(lines.some((l) => /^N\s+5,130\s+5,130$/.test(l)));
  assert.ok(lines.some((l) => /^city FE\s+Yes\s+Yes$/.test(l)));
  // Decimal points of estimates and SEs in column 1 line up.
  const est = lines.find((l) => l.startsWith('treat'))!;
  const se = lines[lines.indexOf(est) + 1];
  assert.equal(est.indexOf('.'), se.indexOf('.'));
});

test('summary table: Table 2 layout, labels, missing stats empty', () => {
  const t = summaryTable(summary());
  assert.deepEqual(t.headers[0], { stub: 'Variable', cells: ['N', 'Mean', 'SD', 'Min', 'Max'] });
  const txt = renderText(t);
  assert.match(txt, /Log green TFP\s+5,130\s+1\.5000\s+0\.2500\s+0\.0000\s+3\.7500/);
  const tex = renderLatex(t);
  assert.match(tex, /gdp\\_pc & 5100 &  &  &  & {2}\\\\/);
  assert.deepEqual(parseCsv(renderCsv(t))[2], ['treat', '5130', '0.2000', '0.4000', '0.0000', '1.0000']);
});

test('format from file extension', () => {
  assert.equal(tableFormatFromPath('out/t.tex'), 'latex');
  assert.equal(tableFormatFromPath('t.MD'), 'markdown');
  assert.equal(tableFormatFromPath('t.docx'), 'docx');
  assert.equal(tableFormatFromPath('t.htm'), 'html');
  assert.equal(tableFormatFromPath('t.xls'), undefined);
});

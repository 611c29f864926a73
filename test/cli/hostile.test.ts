// Hostile and careless input (issue #14): each case runs in bounded time and memory, ends with a
// clear `FILE:LINE:COL: error` (or a result) and never with "internal error".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { parseXml } from '../results/xml';
import * as iconv from 'iconv-lite';
import { csvField } from '../../server/src/results/render/csv';
import { close, mpdta, runCli, runSpecText, workDir } from './helpers';
import { MAX_EXPR_DEPTH, MAX_MACRO_LENGTH } from '../../grammar/src/limits';

const noInternal = (r: { stdout: string; stderr: string }): void => assert.doesNotMatch(r.stdout + r.stderr, /internal error|Maximum call stack|at .*\.js:\d+/);

/** `global a $a $a` n times after `global a lpop`: the value doubles each line. */
const doubling = (n: number, tail: string): string => ['use "mpdta.csv"', 'global a lpop', ...Array(n).fill('global a $a $a'), tail].join('\n') + '\n';

test('macro doubling: the checker stops at the global line past the limit', () => {
  // "lpop" is 4 characters; after k doublings the value is 5 * 2^k - 1 long
  const k = Math.ceil(Math.log2((MAX_MACRO_LENGTH + 1) / 5));
  const t0 = Date.now();
  const r = runSpecText(doubling(22, 'summarize $a'), { datasets: ['mpdta.csv'] });
  assert.equal(r.status, 1, r.stderr);
  // line of the k-th doubling: 2 lines before the first (use, global a lpop)
  assert.match(r.stderr, new RegExp(`spec\\.pspec:${k + 2}:10: error: global a would be longer than 645,200 characters`));
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one error, at the first line over the limit');
  assert.ok(Date.now() - t0 < 15000);
  noInternal(r);
});

test('macro doubling: the runtime refuses the same line (--no-check)', () => {
  const k = Math.ceil(Math.log2((MAX_MACRO_LENGTH + 1) / 5));
  const r = runSpecText(doubling(22, 'summarize $a'), { datasets: ['mpdta.csv'], args: ['--no-check'] });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`spec\\.pspec:${k + 2}:10: error: global a would be longer than 645,200 characters`));
  noInternal(r);
});

test('macro just under the limit still works; many uses in one command are capped', () => {
  const k = Math.ceil(Math.log2((MAX_MACRO_LENGTH + 1) / 5)) - 1; // the last doubling under the limit
  const ok = runSpecText(doubling(k, 'global b $a\nsummarize lpop'), { datasets: ['mpdta.csv'] });
  assert.equal(ok.status, 0, ok.stderr);
  // two uses of a value over half the limit make the command too long
  const r = runSpecText(doubling(k, 'summarize $a $a'), { datasets: ['mpdta.csv'] });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`spec\\.pspec:${k + 3}:14: error: this command with its globals expanded would be longer than 645,200`));
  const run = runSpecText(doubling(k, 'summarize $a $a'), { datasets: ['mpdta.csv'], args: ['--no-check'] });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`spec\\.pspec:${k + 3}:14: error: this command with its globals expanded would be longer`));
  // inside a string too
  const s = runSpecText(doubling(k, 'use "$a$a.csv"'), { datasets: ['mpdta.csv'], args: ['--no-check'] });
  assert.equal(s.status, 2, s.stderr);
  assert.match(s.stderr, /error: the text with its globals expanded would be longer than 645,200/);
});

test('10,000 gen lines: checked and run in linear time', () => {
  const lines = Array.from({ length: 10000 }, (_, i) => `gen g${i} = lemp + ${i}`);
  const t0 = Date.now();
  const r = runSpecText(`use "mpdta.csv"\n${lines.join('\n')}\nsummarize g9999 in 1/1\nregress g9999 g0\nbogus\n`, { datasets: ['mpdta.csv'] });
  const ms = Date.now() - t0;
  assert.equal(r.status, 1);
  assert.match(r.stderr, /spec\.pspec:10004:1: error: unknown command `bogus`/);
  assert.ok(ms < 10000, `took ${ms} ms`);
  noInternal(r);
});

test('an .xlsx whose only extra cell is XFD1048576: a clear error at the use line, no 6 GB table', () => {
  const dir = workDir();
  const wb = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
  const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>5</v></c></row></sheetData></worksheet>`;
  writeFileSync(join(dir, 'big.xlsx'), zipSync({ 'xl/workbook.xml': strToU8(wb), 'xl/_rels/workbook.xml.rels': strToU8(rels), 'xl/worksheets/sheet1.xml': strToU8(sheet) }));
  const t0 = Date.now();
  const r = runSpecText('use "big.xlsx"\nsummarize\n', { dir });
  assert.ok(Date.now() - t0 < 10000);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /spec\.pspec:1:1: error: big\.xlsx: .*16,384 columns x 1,048,576 rows .*needs about 137 GB/);
  noInternal(r);
});

test('6,000-term operator chains (+ * ^ & | == - / and in if): a clear error at the operator past the limit', () => {
  for (const op of ['+', '*', '^', '&', '|', '==', '-', '/']) {
    const chain = Array(6000).fill('1').join(` ${op} `);
    const r = runSpecText(`use "mpdta.csv"\ngen z = ${chain}\nsummarize lemp if ${chain}\n`, { datasets: ['mpdta.csv'] });
    assert.equal(r.status, 1, `${op}: ${r.stderr}`);
    // the operator number MAX_EXPR_DEPTH + 1 on each line
    const col = 'gen z = '.length + (MAX_EXPR_DEPTH + 1) * ('1'.length + op.length + 2) - op.length;
    const colIf = 'summarize lemp if '.length + (MAX_EXPR_DEPTH + 1) * ('1'.length + op.length + 2) - op.length;
    assert.match(r.stderr, new RegExp(`spec\\.pspec:2:${col}: error: expression nested more than 1,000 operators deep`), op);
    assert.match(r.stderr, new RegExp(`spec\\.pspec:3:${colIf}: error: expression nested more than 1,000 operators deep`), op);
    noInternal(r);
  }
  // at the limit the chain evaluates: 1000 operators, 1001 ones
  const sum = runSpecText(`use "mpdta.csv"\ngen z = ${Array(MAX_EXPR_DEPTH + 1).fill('1').join(' + ')}\nsummarize z\n`, { datasets: ['mpdta.csv'], json: false });
  assert.equal(sum.status, 0, sum.stderr);
  assert.match(sum.stdout, /z\s+2,500\s+1001\.0000\s+0\.0000/);
});

test('analytic weights are scale-invariant (1e150 and 1e-320 as the unscaled weights)', () => {
  const r = runSpecText(
    [
      'use "mpdta.csv"',
      'gen w0 = 1 + mod(_n, 7)',
      'gen wbig = 1e150 * w0',
      'gen wtiny = 1e-320 * w0',
      'regress lemp lpop [aw=w0]',
      'regress lemp lpop [aw=wbig]',
      'regress lemp lpop [aw=wtiny]',
      'reghdfe lemp year [aw=w0], absorb(countyreal) vce(cluster countyreal)',
      'reghdfe lemp year [aw=wbig], absorb(countyreal) vce(cluster countyreal)',
    ].join('\n') + '\n',
    { datasets: ['mpdta.csv'] },
  );
  assert.equal(r.status, 0, r.stderr);
  const est = r.json.results.filter((x: { kind: string }) => x.kind === 'estimation');
  assert.equal(est.length, 5);
  const same = (a: any, b: any, rel: number): void => {
    for (const k of ['r2', 'rmse', 'f'] as const) assert.ok(close(b[k], a[k], rel), `${k}: ${b[k]} vs ${a[k]}`);
    a.coefficients.forEach((c: any, i: number) => {
      assert.ok(close(b.coefficients[i].estimate, c.estimate, rel), `${c.term} estimate ${b.coefficients[i].estimate} vs ${c.estimate}`);
      assert.ok(close(b.coefficients[i].se, c.se, rel), `${c.term} se`);
    });
  };
  same(est[0], est[1], 1e-10);
  // 1e-320 * k is subnormal: stored to about 1e-4 relative (multiples of 4.9e-324), so the ratios are that close
  same(est[0], est[2], 1e-3);
  same(est[3], est[4], 1e-10);
  // sum_weights stays the sum of the weights as given
  assert.ok(close(est[1].sum_weights, 1e150 * est[0].sum_weights, 1e-12));
  // the weights themselves: an independent weighted least squares of lemp on lpop with w0
  const rows = mpdta();
  let sw = 0, sx = 0, sy = 0;
  rows.forEach((row, i) => { const w = 1 + ((i + 1) % 7); sw += w; sx += w * row.lpop; sy += w * row.lemp; });
  const mx = sx / sw, my = sy / sw;
  let sxy = 0, sxx = 0;
  rows.forEach((row, i) => { const w = 1 + ((i + 1) % 7); sxy += w * (row.lpop - mx) * (row.lemp - my); sxx += w * (row.lpop - mx) ** 2; });
  assert.ok(close(est[1].coefficients.find((c: any) => c.term === 'lpop').estimate, sxy / sxx, 1e-9));
});

test('data files that are not regular files (a FIFO, a link to /dev/zero) are refused at once', { skip: process.platform === 'win32' }, () => {
  const dir = workDir();
  execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
  symlinkSync('/dev/zero', join(dir, 'zero.csv'));
  for (const [file, what] of [['pipe.csv', 'a named pipe \\(FIFO\\)'], ['zero.csv', 'a device']]) {
    const t0 = Date.now();
    const r = runSpecText(`use "${file}"\nsummarize\n`, { dir });
    assert.ok(Date.now() - t0 < 10000);
    assert.ok(r.status === 1 || r.status === 2, r.stderr);
    assert.match(r.stderr, new RegExp(`spec\\.pspec:1:\\d+: error: ${file}: is ${what}, not a data file: only regular files are read`));
    noInternal(r);
  }
});

test('ESC and NUL echoed from the spec into an error print as U+001B / U+0000', () => {
  const r = runSpecText('use "mpdta.csv"\nsummarize le\u001b[31mmp\u0000x\n', { datasets: ['mpdta.csv'] });
  assert.ok(r.status === 1, r.stderr);
  assert.doesNotMatch(r.stderr, /[\u0000\u001b]/);
  assert.match(r.stderr, /spec\.pspec:2:13: error: unexpected character 'U\+001B'/);
  assert.match(r.stderr, /spec\.pspec:2:20: error: unexpected character 'U\+0000'/);
  // inside a string, echoed by a run-time error
  const run = runSpecText('use "a\u001b[2Jb.csv"\n', { args: ['--no-check'] });
  assert.equal(run.status, 2, run.stderr);
  assert.doesNotMatch(run.stderr, /\u001b/);
  assert.match(run.stderr, /aU\+001B\[2Jb\.csv/);
});

test('--json refuses to overwrite the spec or a data file it reads', () => {
  const dir = workDir(['mpdta.csv']);
  const spec = 'global d "mpdta"\nuse "$d.csv"\nsummarize lemp\n';
  writeFileSync(join(dir, 'spec.pspec'), spec);
  const before = readFileSync(join(dir, 'mpdta.csv'), 'utf8');
  for (const [out, what] of [['spec.pspec', 'the spec itself'], ['mpdta.csv', 'the data file'], ['./sub/../mpdta.csv', 'the data file']]) {
    const r = runCli(['run', 'spec.pspec', '--json', out], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`spec\\.pspec:1:1: error: --json ${out.replace(/\./g, '\\.')} would overwrite ${what}`));
  }
  mkdirSync(join(dir, 'sub'));
  assert.equal(readFileSync(join(dir, 'spec.pspec'), 'utf8'), spec);
  assert.equal(readFileSync(join(dir, 'mpdta.csv'), 'utf8'), before);
  const ok = runCli(['run', 'spec.pspec', '--json', 'out.json'], dir);
  assert.equal(ok.status, 0, ok.stderr);
});

test('control characters in labels and titles: every output stays valid; CSV cells cannot start a formula', () => {
  const dir = workDir(['mpdta.csv']);
  const spec = [
    'use "mpdta.csv"',
    'gen d = treat * (year >= first_treat)',
    'label var d "=HYPERLINK(1)\u0001\u001b[31m"',
    'eststo m1: reg lemp d lpop',
    'esttab m1 using "t.csv", label title("@SUM(A1)\u0000 title") mtitles("-2+3") replace',
    'esttab m1 using "t.html", label title("T\u0000\u001b") replace',
    'esttab m1 using "t.md", label title("T\u0000\u001b") replace',
    'esttab m1 using "t.tex", label title("T\u0000\u001b") replace',
    'esttab m1 using "t.docx", label title("T\u0000\u001b") replace',
    'coefplot m1, title("T\u0000\u001b\u0008")',
    'graph export "p.svg", replace',
    'export delimited "raw.csv" d in 1/2, replace',
  ].join('\n');
  const r = runSpecText(spec + '\n', { dir });
  assert.equal(r.status, 0, r.stderr);
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
  for (const f of ['t.csv', 't.html', 't.md', 't.tex', 'p.svg']) {
    const text = readFileSync(join(dir, f), 'utf8');
    assert.doesNotMatch(text, controls, f);
  }
  parseXml(readFileSync(join(dir, 'p.svg'), 'utf8'));
  const docx = unzipSync(readFileSync(join(dir, 't.docx')));
  assert.doesNotMatch(strFromU8(docx['word/document.xml']), controls);
  const csv = readFileSync(join(dir, 't.csv'), 'utf8').split('\r\n');
  assert.match(csv[0], /^'@SUM\(A1\) title,/);
  assert.ok(csv.some((l) => l.startsWith(`'=HYPERLINK(1)[31m,`)), csv.join('\n'));
  assert.ok(csv.some((l) => /,'-2\+3/.test(l)), csv.join('\n'));
  // numbers, negative ones included, stay numbers
  assert.ok(csv.some((l) => /,-?\d+\.\d+\**/.test(l)));
  assert.ok(!csv.some((l) => /'[-+]?\d+\.\d/.test(l)), csv.join('\n'));
  for (const n of ['-0.0711**', '+3', '-1.5e-05', '-12%']) assert.equal(csvField(n), n);
  assert.equal(csvField('-1,234.5'), '"-1,234.5"');
  for (const f of ['=1+2', '+A1', '-A1*2', '@SUM(A1)', '-']) assert.equal(csvField(f), `'${f}`);
  // export delimited writes data as it is
  assert.deepEqual(readFileSync(join(dir, 'raw.csv'), 'utf8').trim().split(/\r?\n/)[0], 'd');
});

test('eventstudy window(-100000 100000): clipped to the relative times in the data, same estimates as window(-4 3)', () => {
  const es = (w: string) => `eventstudy lemp, treat(adopt) window(${w}) ref(-1) fe(countyreal year) cluster(countyreal)`;
  const t0 = Date.now();
  const r = runSpecText(
    ['use "mpdta.csv"', 'xtset countyreal year', 'gen adopt = first_treat if first_treat > 0', es('-100000 100000'), es('-4 3'), es('-2 100000')].join('\n') + '\n',
    { datasets: ['mpdta.csv'] },
  );
  assert.ok(Date.now() - t0 < 20000);
  assert.equal(r.status, 0, r.stderr);
  const [wide, exact, half] = r.json.results.filter((x: { kind: string }) => x.kind === 'estimation');
  assert.deepEqual(wide.window, [-4, 3]);
  assert.deepEqual(wide.warnings, ['window(-100000 100000) reaches past the relative times in the data (k from -4 to 3): clipped to window(-4 3)']);
  assert.deepEqual(exact.warnings, []);
  assert.equal(wide.coefficients.length, exact.coefficients.length);
  wide.coefficients.forEach((c: any, i: number) => {
    assert.equal(c.term, exact.coefficients[i].term);
    assert.ok(close(c.estimate, exact.coefficients[i].estimate, 1e-12) && close(c.se, exact.coefficients[i].se, 1e-12), c.term);
  });
  assert.deepEqual(half.window, [-2, 3]);
  // a window wholly outside the data is refused, saying which periods exist
  const none = runSpecText(['use "mpdta.csv"', 'xtset countyreal year', 'gen adopt = first_treat if first_treat > 0', 'eventstudy lemp, treat(adopt) window(10 20) ref(15) fe(countyreal year)'].join('\n') + '\n', { datasets: ['mpdta.csv'] });
  assert.equal(none.status, 2, none.stderr);
  assert.match(none.stderr, /spec\.pspec:4:\d+: error: window\(10 20\) holds no observed relative time: the data has k from -4 to 3/);
});

test('a Big5 CSV: detected (not garbled as GBK), encoding(big5) works, the data result says which encoding', () => {
  const dir = workDir();
  writeFileSync(join(dir, 'tw.csv'), iconv.encode('城市,收入\n台北,100\n高雄,200\n', 'big5'));
  for (const opt of ['', ', encoding(big5)']) {
    const r = runSpecText(`use "tw.csv"${opt}\nsummarize 收入\n`, { dir });
    assert.equal(r.status, 0, r.stderr);
    const data = r.json.results[0];
    assert.equal(data.encoding, 'big5');
    const sum = JSON.stringify(r.json.results[1]);
    assert.match(sum, /"mean":150/);
    if (!opt) assert.deepEqual(data.notes, ['file is not valid UTF-8; read as Big5 (traditional Chinese). Pass an explicit encoding if that is wrong.']);
  }
  const text = runSpecText('use "tw.csv"\n', { dir, json: false });
  assert.match(text.stdout, /tw\.csv \(2 rows, 2 columns, read as big5\)\n {2}note: file is not valid UTF-8; read as Big5/);
});

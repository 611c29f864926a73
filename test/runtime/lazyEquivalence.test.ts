// Every data step run lazily (in DuckDB SQL, `use ..., lazy` then `materialize`) gives the columns
// the in-memory interpreter gives, on every reference dataset: values to 1e-12 relative, missing
// in the same rows, strings equal. Missing values are planted first (every 7th row of x) so that
// arithmetic, comparisons and functions meet them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram } from '../../server/src/runtime/interpreter';
import type { DataTable } from '../../server/src/data/table';
import { stringAt } from '../../server/src/data/table';

const REF = join(__dirname, '..', '..', '..', 'test', 'reference', 'data');

interface Case {
  file: string;
  x: string;
  y: string;
  group: string; // a by() variable
  panel?: [string, string]; // unit, time (unique pairs)
  str?: string; // a string variable
}

const CASES: Case[] = [
  { file: 'base_stagg.csv', x: 'x1', y: 'y', group: 'id', panel: ['id', 'year'] },
  { file: 'castle.csv', x: 'robbery_gun_r', y: 'homicide', group: 'sid', panel: ['sid', 'year'], str: 'state' },
  { file: 'castle_bacondecomp.csv', x: 'homicide', y: 'robbery', group: 'state', panel: ['sid', 'year'], str: 'state' },
  { file: 'cigarettes_sw.csv', x: 'packs', y: 'price', group: 'state', panel: ['state', 'year'], str: 'state' },
  { file: 'crime_nc.csv', x: 'crmrte', y: 'prbarr', group: 'county', panel: ['county', 'year'] },
  { file: 'divorce.csv', x: 'drate', y: 'suicide', group: 'st', str: 'st' },
  { file: 'mpdta.csv', x: 'lemp', y: 'lpop', group: 'countyreal', panel: ['countyreal', 'year'] },
  { file: 'trade.csv', x: 'dist_km', y: 'Euros', group: 'Destination', str: 'Origin' },
];

/** Step scripts on variables x, y, group g, (unit u, time t), string s. */
function scripts(c: Case): string[] {
  const { x, y, group: g } = c;
  const plant = `replace ${x} = . if mod(_n, 7) == 0`;
  // the column-making steps share one run (each dataset is read twice per run: runs are the cost)
  const out = [
    [
      plant,
      `gen a = ${x} + ${y} * 2 - ${x} / ${y} + ${x} ^ 2 - (-${y})`,
      `gen b = (${x} > ${y}) + (${x} == .) * 10 + (${y} >= 3) + !(${x} < 2) + (${x} != .) * 100 + (. > ${x}) * 1000 + (${x} <= .) * 3`,
      `gen l = ln(${x}) + sqrt(${y}) + exp(-abs(${x})) + log10(abs(${y}) + 1)`,
      `gen r = round(${x}, 0.5) + round(${y}) + floor(${y}) + ceil(${x}) + int(-${x}) + mod(${x}, 3) + sign(${x} - 5)`,
      `gen d = cond(${x} > ${y}, ${x}, ${y}, -1) + min(${x}, ${y}) + max(${x}, ${y}, 0) + missing(${x}, ${y}) + inlist(${x}, 1, 2, 3) + inrange(${y}, 0, 10) + inrange(${x}, ., 5)`,
      `gen e = ${x} if ${y} > 0 & ${x} < 50`,
      `replace e = -1 if missing(e)`,
      `egen m1 = mean(${x}), by(${g})`,
      `egen m2 = sum(${x}), by(${g})`,
      `egen m3 = count(${x}), by(${g})`,
      `egen m4 = max(${x}) if ${y} > 0, by(${g})`,
      `egen m5 = min(${x} * 2), by(${g})`,
      `egen m6 = sd(${x}), by(${g})`,
      `egen m7 = median(${x})`,
      `egen m8 = rowtotal(${x} ${y})`,
      `egen m9 = rowmean(${x} ${y})`,
      `egen m10 = group(${g})`,
      `gen all = _n`,
      `bysort ${g}: gen n = _n`,
      `bysort ${g}: gen nn = _N - _n`,
      `bysort ${g}: gen lagx = ${x}[_n-1] - ${x}[_n+1] + ${x}[1] + ${x}[_N]`,
      `replace ${y} = ${y} / 2 if e > 0 | e == .`,
    ].join('\n'),
    `${plant}\nkeep if ${x} > ${y} | missing(${y}) | ${x} == .`,
    `${plant}\ndrop if ${x} == . | ${y} < 1\nsort ${y} ${x}\ngen pos = _n\nkeep ${g} ${x} pos\nrename ${x} renamed\ngen z = renamed * 3 + pos`,
  ];
  if (c.panel) {
    const [u, t] = c.panel;
    out.push(`${plant}\nxtset ${u} ${t}\ngen lx = L.${x}\ngen fx = F2.${x}\ngen dx = D.${x} + D2.${y}\nsort ${t} ${u}\ngen k = _n\nbysort ${u} (${t}): gen first = ${x}[1]\nbysort ${u} (${t}): gen prev = ${x}[_n-1]`);
  }
  if (c.str) out.push(`gen s2 = ${c.str} + "x"\ngen ls = (${c.str} < "M") + strlen(${c.str}) + (upper(${c.str}) == ${c.str}) * 2 + strpos(${c.str}, "a") + missing(${c.str})\nreplace s2 = lower(s2) if ${x} > ${y}\nkeep if ${c.str} != "${''}"`);
  return out;
}

async function dataAfter(spec: string, dir: string): Promise<DataTable> {
  const program = parse(spec);
  assert.equal(program.errors.length, 0, program.errors.map((e) => e.message).join('; '));
  const out = await runProgram(program, { file: join(dir, 'spec.pspec') });
  if (out.error) throw new Error(`line ${(out.error.range?.start.line ?? -1) + 1}: ${out.error.message}\n${spec}`);
  assert.ok(out.session.data, 'data in memory at the end');
  return out.session.data!;
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
}

function assertSameTable(mem: DataTable, lazy: DataTable, what: string): void {
  assert.deepEqual(lazy.names, mem.names, `${what}: columns`);
  assert.equal(lazy.nrows, mem.nrows, `${what}: rows`);
  for (const c of mem.columns) {
    const l = lazy.get(c.name)!;
    assert.equal(l.kind, c.kind, `${what}: kind of ${c.name}`);
    for (let i = 0; i < mem.nrows; i++) {
      if (c.kind === 'numeric' && l.kind === 'numeric') {
        if (!close(c.values[i], l.values[i])) assert.fail(`${what}: ${c.name}[${i + 1}] in memory ${c.values[i]}, lazy ${l.values[i]}`);
      } else if (c.kind === 'string' && l.kind === 'string') {
        if (stringAt(c, i) !== stringAt(l, i)) assert.fail(`${what}: ${c.name}[${i + 1}] in memory "${stringAt(c, i)}", lazy "${stringAt(l, i)}"`);
      }
    }
  }
}

for (const c of CASES) {
  test(`lazy data steps equal the in-memory ones on ${c.file}`, async () => {
    const path = join(REF, c.file).replace(/\\/g, '/');
    let k = 0;
    for (const steps of scripts(c)) {
      k++;
      const mem = await dataAfter(`use "${path}"\n${steps}\n`, REF);
      const lazy = await dataAfter(`use "${path}", lazy\n${steps}\nmaterialize\n`, REF);
      assertSameTable(mem, lazy, `${c.file} script ${k}`);
    }
  });
}

test('text functions: equal where SQL computes as JavaScript does, an error (never another value) where it would not', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'pspec-lazy-text-'));
  const rows = ['abc', 'Ab c', ' 12 ', '1e3', '-.5', '7.', 'x1', '', '😀ab', 'a😀b', '00012', '1_000', '\u00a013\u3000'];
  writeFileSync(join(dir, 'text.csv'), `s,k\n${rows.map((r, i) => `"${r}",${i}`).join('\n')}\n`);
  writeFileSync(join(dir, 'odd.csv'), `s,k\nabc,1\nstraße,2\n`);
  const steps = 'gen n = strlen(s) + 100 * strpos(s, "b") + 1000 * (real(s) == .)\ngen r = real(s)\ngen u = upper(s) + lower(s) if k < 8';
  const mem = await dataAfter(`use "text.csv"\n${steps}\n`, dir);
  const lazy = await dataAfter(`use "text.csv", lazy\n${steps}\nmaterialize\n`, dir);
  assertSameTable(mem, lazy, 'text functions');
  const r = mem.get('r');
  assert.ok(r?.kind === 'numeric' && r.values[2] === 12 && r.values[3] === 1000 && r.values[4] === -0.5 && Number.isNaN(r.values[11]), 'real() as JavaScript reads numbers');
  // upper() of ß: JavaScript gives SS, DuckDB ẞ: the lazy run stops with a message at the line
  await assert.doesNotReject(dataAfter('use "odd.csv"\ngen u = upper(s)\n', dir));
  await assert.rejects(dataAfter('use "odd.csv", lazy\ngen u = upper(s)\nmaterialize\n', dir), /line 2: upper\(\) of text with non-ASCII characters does not run on lazy data/);
  // rows whose text is ASCII never meet the error
  await assert.doesNotReject(dataAfter('use "odd.csv", lazy\nkeep if k == 1\ngen u = upper(s)\nmaterialize\n', dir));
});

test('round() as Math.round: halves up, no floor(x + 0.5) slips', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'pspec-lazy-round-'));
  writeFileSync(join(dir, 'round.csv'), 'x,u\n0.49999999999999994,1\n4503599627370497,1\n-2.5,1\n2.5,1\n-0.5,1\n1.25,0.5\n-7.75,0.5\n');
  const steps = 'gen r0 = round(x)\ngen r1 = round(x, u)';
  const mem = await dataAfter(`use "round.csv"\n${steps}\n`, dir);
  const lazy = await dataAfter(`use "round.csv", lazy\n${steps}\nmaterialize\n`, dir);
  assertSameTable(mem, lazy, 'round');
  const r0 = lazy.get('r0');
  assert.ok(r0?.kind === 'numeric');
  assert.deepEqual(Array.from(r0.values, (v) => v + 0), [0, 4503599627370497, -2, 3, 0, 1, -8]); // -0 and 0 alike
});

// The CONTRACT.md syntax parses to the expected AST, with exact ranges where it matters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../grammar/src/index';
import type { Term } from '../../grammar/src/index';
import { one, parseOk, slice, strip } from './helpers';
import { termText } from '../../grammar/src/termText';

const v = (name: string, extra: Record<string, unknown> = {}) => ({ kind: 'var', name, wildcard: false, ...extra });

test('use with a string path and an option', () => {
  const s = one('use "data/cities.csv", clear');
  assert.equal(s.command.name, 'use');
  assert.deepEqual(strip(s.command.body), { kind: 'terms', terms: [{ kind: 'str', value: 'data/cities.csv' }] });
  assert.deepEqual(s.command.options.map((o) => [o.name, o.args]), [['clear', undefined]]);
  assert.deepEqual(s.command.comma, { start: { line: 0, character: 21, offset: 21 }, end: { line: 0, character: 22, offset: 22 } });
});

test('unquoted paths in a body are string terms', () => {
  assert.deepEqual(strip(one('use data/cities.csv, clear').command.body), { kind: 'terms', terms: [{ kind: 'str', value: 'data/cities.csv' }] });
  assert.deepEqual(strip(one('use ../raw/panel_2003-2020.dta').command.body), { kind: 'terms', terms: [{ kind: 'str', value: '../raw/panel_2003-2020.dta' }] });
  assert.deepEqual(strip(one('export delimited out.csv y x, replace').command.body), {
    kind: 'terms',
    terms: [v('delimited'), { kind: 'str', value: 'out.csv' }, v('y'), v('x')],
  });
  // but varlists are unaffected
  assert.deepEqual(strip(one('keep x1-x5 L.y').command.body), { kind: 'terms', terms: [{ kind: 'varrange', from: v('x1'), to: v('x5') }, v('y', { op: { op: 'L', lag: 1 } })] });
});

test('xtset, sort, describe: term lists of variables', () => {
  assert.deepEqual(strip(one('xtset city year').command.body), { kind: 'terms', terms: [v('city'), v('year')] });
  assert.deepEqual(strip(one('sort city year').command.body), { kind: 'terms', terms: [v('city'), v('year')] });
});

test('global keeps its raw text and range, and lexes it into terms', () => {
  const text = 'global controls lngdp  lnpop fdi // note';
  const s = one(text);
  const b = s.command.body;
  assert.equal(b.kind, 'global');
  if (b.kind !== 'global') return;
  assert.equal(b.name, 'controls');
  assert.equal(b.text, 'lngdp lnpop fdi');
  assert.equal(slice(text, b.textRange), 'lngdp  lnpop fdi');
  assert.equal(slice(text, b.nameRange), 'controls');
  assert.deepEqual(strip(b.terms), [v('lngdp'), v('lnpop'), v('fdi')]);
  // `gl` is Stata's abbreviation; odd punctuation is kept in the raw text without an error
  const g = one('gl cond year > 2005 & treat == 1').command.body;
  assert.equal(g.kind === 'global' && g.text, 'year > 2005 & treat == 1');
});

test('$global and ${global} in term lists and expressions', () => {
  const s = one('reg y $controls ${more}');
  assert.deepEqual(strip(s.command.body), { kind: 'terms', terms: [v('y'), { kind: 'global', name: 'controls' }, { kind: 'global', name: 'more' }] });
  const g = one('gen z = $base * 2').command.body;
  assert.equal(g.kind, 'gen');
  if (g.kind === 'gen') assert.deepEqual(strip(g.expr), { kind: 'binary', op: '*', left: { kind: 'global', name: 'base' }, right: { kind: 'num', value: 2 } });
});

test('gen with if, exact ranges of target, expression and if', () => {
  const text = 'gen lny = log(gdp) if gdp > 0';
  const c = one(text).command;
  assert.equal(c.body.kind, 'gen');
  if (c.body.kind !== 'gen') return;
  assert.equal(c.body.target.name, 'lny');
  assert.equal(slice(text, c.body.target.range), 'lny');
  assert.equal(slice(text, c.body.expr.range), 'log(gdp)');
  assert.deepEqual(strip(c.body.expr), { kind: 'call', name: 'log', args: [{ kind: 'var', name: 'gdp' }] });
  assert.equal(slice(text, c.ifRange!), 'if gdp > 0');
  assert.deepEqual(strip(c.ifExpr), { kind: 'binary', op: '>', left: { kind: 'var', name: 'gdp' }, right: { kind: 'num', value: 0 } });
  assert.deepEqual(c.range, { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: text.length, offset: text.length } });
  assert.deepEqual(c.nameRange, { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 3, offset: 3 } });
});

test('gen abbreviations and storage types', () => {
  for (const cmd of ['g', 'gen', 'gene', 'generate']) {
    const b = one(`${cmd} double y = 1`).command.body;
    assert.equal(b.kind, 'gen', cmd);
    if (b.kind === 'gen') {
      assert.equal(b.type, 'double');
      assert.equal(b.target.name, 'y');
    }
  }
  const b = one('gen str20 name = "x"').command.body;
  assert.equal(b.kind === 'gen' && b.type, 'str20');
  const r = one('replace y = y + 1 if missing(y) == 0').command.body;
  assert.equal(r.kind, 'gen');
});

test('keep/drop with if or a varlist', () => {
  const k = one('keep if year >= 2003 & year <= 2020').command;
  assert.deepEqual(strip(k.body), { kind: 'terms', terms: [] });
  assert.equal(k.ifExpr?.kind, 'binary');
  const d = one('drop x1-x5 gdp* *_pc').command;
  assert.deepEqual(strip(d.body), {
    kind: 'terms',
    terms: [{ kind: 'varrange', from: v('x1'), to: v('x5') }, v('gdp*', { wildcard: true }), v('*_pc', { wildcard: true })],
  });
});

test('egen: function, args, by()', () => {
  const text = 'egen hhi_idx = hhi(a b c), by(city)';
  const c = one(text).command;
  assert.equal(c.body.kind, 'egen');
  if (c.body.kind !== 'egen') return;
  assert.equal(c.body.func, 'hhi');
  assert.equal(slice(text, c.body.funcRange), 'hhi');
  assert.equal(slice(text, c.body.argsRange), 'a b c');
  assert.deepEqual(strip(c.body.args), [v('a'), v('b'), v('c')]);
  assert.deepEqual(strip(c.options), [{ name: 'by', args: [v('city')] }]);
  const g = one('egen int id = group(city year)').command.body;
  assert.equal(g.kind === 'egen' && g.type, 'int');
  const m = one('egen m = rowmean(a b) if x > 0').command;
  assert.ok(m.ifExpr);
});

test('bysort prefix with sort variables; by prefix', () => {
  const s = one('bysort city (year): gen n = _n');
  assert.equal(s.prefixes.length, 1);
  assert.equal(s.prefixes[0].name, 'bysort');
  assert.deepEqual(strip(s.prefixes[0].body), { kind: 'terms', terms: [v('city'), { kind: 'paren', terms: [v('year')] }] });
  assert.equal(s.command.name, 'gen');
  const b = one('by city: egen m = mean(x)');
  assert.equal(b.prefixes[0].name, 'by');
  assert.equal(b.command.body.kind, 'egen');
});

test('summarize, detail; abbreviations kept as written', () => {
  const c = one('sum y x, d').command;
  assert.equal(c.name, 'sum');
  assert.deepEqual(strip(c.options), [{ name: 'd' }]);
});

test('entropy NEW = VARLIST with options (body define)', () => {
  const c = one('entropy idx = gdp_pc fdi pollution, negative(pollution) shift(0.0001) scale(100)').command;
  assert.deepEqual(strip(c.body), { kind: 'define', target: v('idx'), terms: [v('gdp_pc'), v('fdi'), v('pollution')] });
  assert.deepEqual(strip(c.options), [
    { name: 'negative', args: [v('pollution')] },
    { name: 'shift', args: [{ kind: 'num', value: 0.0001, text: '0.0001' }] },
    { name: 'scale', args: [{ kind: 'num', value: 100, text: '100' }] },
  ]);
});

test('export delimited with a path, a varlist and replace', () => {
  const c = one('export delimited "out/panel.csv" city year y, replace').command;
  assert.deepEqual(strip(c.body), { kind: 'terms', terms: [v('delimited'), { kind: 'str', value: 'out/panel.csv' }, v('city'), v('year'), v('y')] });
  assert.deepEqual(strip(c.options), [{ name: 'replace' }]);
});

test('label var / label variable', () => {
  for (const sub of ['var', 'variable']) {
    const c = one(`label ${sub} did "Treated x Post"`).command;
    assert.deepEqual(strip(c.body), { kind: 'terms', terms: [v(sub), v('did'), { kind: 'str', value: 'Treated x Post' }] });
  }
});

test('eststo prefix with reghdfe, weights, if and options', () => {
  const text = 'eststo m1: reghdfe y did x1 [aw=pop] if year > 2005, absorb(city year) vce(cluster city)';
  const s = one(text);
  assert.deepEqual(strip(s.prefixes), [{ kind: 'command', name: 'eststo', body: { kind: 'terms', terms: [v('m1')] }, options: [] }]);
  const c = s.command;
  assert.equal(c.name, 'reghdfe');
  assert.deepEqual(strip(c.body), { kind: 'terms', terms: [v('y'), v('did'), v('x1')] });
  assert.equal(c.weight?.type, 'aw');
  assert.equal(c.weight?.expr.name, 'pop');
  assert.equal(slice(text, c.weight!.range), '[aw=pop]');
  assert.equal(slice(text, c.weight!.typeRange), 'aw');
  assert.deepEqual(strip(c.options), [
    { name: 'absorb', args: [v('city'), v('year')] },
    { name: 'vce', args: [v('cluster'), v('city')] },
  ]);
  assert.equal(slice(text, c.options[1].range), 'vce(cluster city)');
  assert.equal(slice(text, c.options[1].argsRange!), 'cluster city');
  assert.equal(slice(text, c.options[1].nameRange), 'vce');
  assert.equal(slice(text, s.range), text);
  assert.equal(slice(text, c.range), text.slice(11));
});

test('weight spellings', () => {
  assert.equal(one('reg y x [aweight=w]').command.weight?.type, 'aw');
  assert.equal(one('reg y x [fw = n]').command.weight?.type, 'fw');
  assert.equal(one('reg y x [pw=w], robust').command.weight?.type, 'pw');
  assert.equal(one('sum y [iw=w]').command.weight?.type, 'iw');
  const p = parse('reg y x [zz=w]');
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /unknown weight type 'zz'/);
  assert.deepEqual([p.errors[0].range.start.character, p.errors[0].range.end.character], [9, 11]);
});

test('reg with vce(robust), vce(cl city), noconstant', () => {
  assert.deepEqual(strip(one('reg y x, vce(robust)').command.options), [{ name: 'vce', args: [v('robust')] }]);
  assert.deepEqual(strip(one('regress y x, vce(cl city) nocons').command.options), [{ name: 'vce', args: [v('cl'), v('city')] }, { name: 'nocons' }]);
});

test('did with fe(), cluster(), robust', () => {
  const c = one('did lnpm25 treat lngdp lnpop, fe(city year) cluster(city) robust').command;
  assert.deepEqual(strip(c.body), { kind: 'terms', terms: [v('lnpm25'), v('treat'), v('lngdp'), v('lnpop')] });
  assert.deepEqual(c.options.map((o) => o.name), ['fe', 'cluster', 'robust']);
});

test('ivreghdfe: IV group (ENDOG = INSTRUMENTS), interactions in absorb', () => {
  const text = 'ivreghdfe y w1 (x1 x2 = z1 z2) w2, absorb(city#year) cluster(city)';
  const c = one(text).command;
  const terms = (c.body as { terms: Term[] }).terms;
  assert.deepEqual(strip(terms), [v('y'), v('w1'), { kind: 'paren', terms: [v('x1'), v('x2')], rhs: [v('z1'), v('z2')] }, v('w2')]);
  assert.equal(slice(text, terms[2].range), '(x1 x2 = z1 z2)');
  assert.deepEqual(strip(c.options[0].args), [{ kind: 'interact', parts: [v('city'), v('year')], full: false }]);
});

test('eventstudy: negative numbers in window() and ref()', () => {
  const c = one('eventstudy y x, treat(first_treat) window(-4 5) ref(-1) fe(city year) cluster(city)').command;
  assert.deepEqual(strip(c.options.slice(0, 3)), [
    { name: 'treat', args: [v('first_treat')] },
    { name: 'window', args: [{ kind: 'num', value: -4, text: '-4' }, { kind: 'num', value: 5, text: '5' }] },
    { name: 'ref', args: [{ kind: 'num', value: -1, text: '-1' }] },
  ]);
});

test('placebo prefix: options without a comma are call terms', () => {
  const text = 'placebo reps(500) units(100) seed(20240101): did y treat x, fe(city year) cluster(city)';
  const s = one(text);
  const p = s.prefixes[0];
  assert.equal(p.name, 'placebo');
  assert.deepEqual(strip(p.body), {
    kind: 'terms',
    terms: [
      { kind: 'call', name: 'reps', args: [{ kind: 'num', value: 500, text: '500' }] },
      { kind: 'call', name: 'units', args: [{ kind: 'num', value: 100, text: '100' }] },
      { kind: 'call', name: 'seed', args: [{ kind: 'num', value: 20240101, text: '20240101' }] },
    ],
  });
  const reps = (p.body as { terms: Term[] }).terms[0];
  assert.equal(slice(text, reps.range), 'reps(500)');
  assert.equal(reps.kind === 'call' && slice(text, reps.nameRange), 'reps');
  assert.equal(s.command.name, 'did');
});

test('psmatch with gen(), neighbors(), caliper(), by()', () => {
  const c = one('psmatch treat lngdp lnpop if year < 2010, gen(matched) neighbors(1) caliper(0.05) by(year)').command;
  assert.deepEqual(c.options.map((o) => o.name), ['gen', 'neighbors', 'caliper', 'by']);
  assert.ok(c.ifExpr);
});

test('esttab NAMES using "FILE", options with strings, stars and stats', () => {
  const text = 'esttab m1 m2 m3 using "tables/t3.tex", keep(did x1) drop(_cons) title("Table 3: Baseline") replace star(* 0.10 ** 0.05 *** 0.01) stats(N r2, fmt(0 3)) se label';
  const c = one(text).command;
  assert.deepEqual(strip(c.body), { kind: 'terms', terms: [v('m1'), v('m2'), v('m3')] });
  assert.equal(c.using?.path, 'tables/t3.tex');
  assert.equal(slice(text, c.using!.range), '"tables/t3.tex"');
  assert.deepEqual(c.options.map((o) => o.name), ['keep', 'drop', 'title', 'replace', 'star', 'stats', 'se', 'label']);
  assert.deepEqual(strip(c.options[2].args), [{ kind: 'str', value: 'Table 3: Baseline' }]);
  assert.deepEqual(
    c.options[4].args!.map((t) => (t.kind === 'op' ? t.op : t.kind === 'num' ? t.value : t.kind)),
    ['*', 0.1, '**', 0.05, '***', 0.01],
  );
  assert.deepEqual(strip(c.options[5].args), [v('N'), v('r2'), { kind: 'op', op: ',' }, { kind: 'call', name: 'fmt', args: [{ kind: 'num', value: 0, text: '0' }, { kind: 'num', value: 3, text: '3' }] }]);
  // a bare path also works
  assert.equal(one('esttab m1 using out/t3.md, replace').command.using?.path, 'out/t3.md');
  assert.equal(one('esttab m1 using b.tex').command.using?.path, 'b.tex');
});

test('quietly / qui with and without a colon', () => {
  const a = one('quietly: reg y x');
  assert.deepEqual(a.prefixes.map((p) => p.name), ['quietly']);
  assert.equal(a.command.name, 'reg');
  const b = one('qui reg y x');
  assert.deepEqual(b.prefixes.map((p) => p.name), ['qui']);
  assert.equal(b.command.name, 'reg');
  const c = one('qui eststo m1: reghdfe y x, a(city)');
  assert.deepEqual(c.prefixes.map((p) => p.name), ['qui', 'eststo']);
  assert.equal(c.command.name, 'reghdfe');
});

test('set seed, tabstat, tabulate', () => {
  assert.deepEqual(strip(one('set seed 12345').command.body), { kind: 'terms', terms: [v('seed'), { kind: 'num', value: 12345, text: '12345' }] });
  assert.deepEqual(one('tabstat y x, stats(mean sd) by(year) columns(statistics)').command.options.map((o) => o.name), ['stats', 'by', 'columns']);
  assert.equal(one('tab year if treat == 1').command.name, 'tab');
});

test('time-series and factor operators, interactions', () => {
  const text = 'reg y L.x L2.x F.x D.x i.year c.x#c.y a##b l.z';
  const terms = (one(text).command.body as { terms: Term[] }).terms;
  assert.deepEqual(strip(terms), [
    v('y'),
    v('x', { op: { op: 'L', lag: 1 } }),
    v('x', { op: { op: 'L', lag: 2 } }),
    v('x', { op: { op: 'F', lag: 1 } }),
    v('x', { op: { op: 'D', lag: 1 } }),
    v('year', { op: { op: 'i', lag: 0 } }),
    { kind: 'interact', parts: [v('x', { op: { op: 'c', lag: 0 } }), v('y', { op: { op: 'c', lag: 0 } })], full: false },
    { kind: 'interact', parts: [v('a'), v('b')], full: true },
    v('z', { op: { op: 'L', lag: 1 } }),
  ]);
  const l2 = terms[2];
  assert.equal(slice(text, l2.range), 'L2.x');
  assert.equal(l2.kind === 'var' && slice(text, l2.nameRange), 'x');
  assert.equal(l2.kind === 'var' && l2.op && slice(text, l2.op.range), 'L2.');
});

test('base-level factor operators: ib#., ib(first)., ib(last). are i. with a base; termText writes them back', () => {
  const text = 'reg y ib2015.year ib(first).g ib(last).h#c.x';
  const terms = (one(text).command.body as { terms: Term[] }).terms;
  assert.deepEqual(strip(terms), [
    v('y'),
    v('year', { op: { op: 'i', lag: 0, base: 2015 } }),
    v('g', { op: { op: 'i', lag: 0, base: 'first' } }),
    { kind: 'interact', parts: [v('h', { op: { op: 'i', lag: 0, base: 'last' } }), v('x', { op: { op: 'c', lag: 0 } })], full: false },
  ]);
  const y = terms[1];
  assert.equal(y.kind === 'var' && y.op && slice(text, y.op.range), 'ib2015.');
  assert.equal(y.kind === 'var' && slice(text, y.nameRange), 'year');
  assert.deepEqual(terms.map((t) => termText(t)), ['y', 'ib2015.year', 'ib(first).g', 'ib(last).h#c.x']);
});

test('the in qualifier: in 1/100, in f/l, in -10/l, in 5, beside if, weights and options', () => {
  const text = 'reg y x if x > 0 in -10/l [aw=w], robust';
  const c = one(text).command;
  assert.deepEqual(strip(c.inRange), { from: -10, to: 'l' });
  assert.equal(slice(text, c.inRange!.range), 'in -10/l');
  assert.equal(c.weight?.type, 'aw');
  assert.deepEqual(c.options.map((o) => o.name), ['robust']);
  assert.deepEqual((c.body as { terms: Term[] }).terms.map((t) => termText(t)), ['y', 'x']);
  assert.deepEqual(strip(one('summarize x in 1/100').command.inRange), { from: 1, to: 100 });
  assert.deepEqual(strip(one('keep in f/L').command.inRange), { from: 'f', to: 'l' });
  assert.deepEqual(strip(one('gen y = x in 5').command.inRange), { from: 5, to: 5 });
  // names that start with `in` stay names; `in` inside option parentheses is kept as written
  assert.deepEqual((one('reg income inlist index').command.body as { terms: Term[] }).terms.map((t) => termText(t)), ['income', 'inlist', 'index']);
  assert.equal(one('esttab m1, title(results in logs)').command.options[0].args?.length, 3);
  // a bound that is not a number, f or l is a syntax error on it
  const bad = parse('reg y x in 1/last\n');
  assert.equal(bad.errors.length, 1);
  assert.match(bad.errors[0].message, /`in` expects an observation number, f or l, not 'last'/);
  assert.equal(bad.errors[0].range.start.character, 13);
  assert.ok(parse('reg y x in 1/5 in 2/3\n').errors.some((e) => /'in' may be given only once/.test(e.message)));
});

test('numbers: integers, decimals, exponents, leading dot', () => {
  const terms = (one('tabstat 3 0.05 1e-6 .5 2.5E3').command.body as { terms: Term[] }).terms;
  assert.deepEqual(terms.map((t) => t.kind === 'num' && t.value), [3, 0.05, 1e-6, 0.5, 2500]);
});

test('strings: plain and compound quotes', () => {
  const c = one('label var y `"the "best" outcome"\'').command;
  assert.deepEqual(strip((c.body as { terms: Term[] }).terms[2]), { kind: 'str', value: 'the "best" outcome' });
});

test('several statements: lines, ranges and blank lines', () => {
  const text = 'use "a.csv"\n\n  xtset id t\r\nreg y x\n';
  const st = parseOk(text);
  assert.equal(st.length, 3);
  assert.deepEqual(st.map((s) => s.range.start.line), [0, 2, 3]);
  assert.deepEqual(st[1].range.start, { line: 2, character: 2, offset: 15 });
  assert.equal(slice(text, st[1].range), 'xtset id t');
  assert.deepEqual(st[2].range.start, { line: 3, character: 0, offset: 27 });
});

test('unknown commands parse as term lists (checked elsewhere)', () => {
  const c = one('frobnicate a b, c(d)').command;
  assert.equal(c.name, 'frobnicate');
  assert.equal(c.body.kind, 'terms');
});

// Static checks (server/src/analysis/check.ts) on specs against test/reference/data/mpdta.csv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, assertAt } from './helpers';
import type { CheckDiagnostic } from '../../server/src/analysis/check';

const codes = (ds: CheckDiagnostic[]): string[] => ds.map((d) => d.code);

const HEAD = 'use "mpdta.csv"\nxtset countyreal year\n';

test('a correct study-like spec has no findings', () => {
  const text =
    HEAD +
    [
      'global ctrl lpop',
      'gen post = year >= first_treat & first_treat > 0',
      'gen d = treat * post',
      'gen lag_emp = L.lemp',
      'egen m_emp = mean(lemp), by(year)',
      'label var d "treated x post"',
      'summarize lemp lpop, detail',
      'eststo m1: reghdfe lemp d $ctrl, absorb(countyreal year) vce(cluster countyreal)',
      'eststo m2: did lemp d, fe(countyreal year) cluster(countyreal)',
      'eststo m3: eventstudy lemp, treat(first_treat) window(-4 3) ref(-1) fe(countyreal year) cluster(countyreal)',
      'placebo reps(50) units(100) seed(1): did lemp d, fe(countyreal year) cluster(countyreal)',
      'psmatch treat lpop, gen(matched) neighbors(1) caliper(0.05)',
      'entropy idx = lemp lpop, negative(lpop)',
      'esttab m1 m2 using "out.tex", keep(d) title("Main") replace',
      'drop if year == 2003',
      'drop m_emp',
    ].join('\n');
  const a = analyze(text);
  assert.deepEqual(a.diagnostics.map((d) => `${d.range.start.line}: ${d.message}`), []);
});

test('misspelt variable: did you mean, exact range, replacement data', () => {
  const text = HEAD + 'reghdfe lemq treat, absorb(countyreal year)\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'unknown-variable');
  assert.match(ds[0].message, /unknown variable `lemq` \(did you mean `lemp`\?\)/);
  assertAt(ds[0], text, 'lemq');
  assert.deepEqual(ds[0].data?.replacements, ['lemp']);
});

test('unknown variables in options, if, weights and expressions', () => {
  const text = HEAD + 'reghdfe lemp treat if yaer > 2003 [aw=lpoop], absorb(countyreal yeer) vce(cluster contyreal)\ngen z = lemmp + 1\n';
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'unknown-variable');
  const names = ds.map((d) => text.slice(0).split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character));
  assert.deepEqual(names.sort(), ['contyreal', 'lemmp', 'lpoop', 'yaer', 'yeer']);
  assert.ok(ds.every((d) => (d.data?.replacements ?? []).length > 0));
});

test('unknown command and unknown option, with suggestions', () => {
  const text = HEAD + 'reghdf lemp treat, absorb(year)\nreghdfe lemp treat, absrob(year) absorb(countyreal)\n';
  const ds = analyze(text).diagnostics;
  const cmd = ds.find((d) => d.code === 'unknown-command');
  assertAt(cmd, text, 'reghdf');
  assert.deepEqual(cmd!.data?.replacements, ['reghdfe']);
  const opt = ds.find((d) => d.code === 'unknown-option');
  assertAt(opt, text, 'absrob');
  assert.match(opt!.message, /did you mean `absorb`/);
});

test('option arguments: missing, not a number, too many, flag with arguments, required option', () => {
  const text =
    HEAD +
    [
      'eventstudy lemp, treat(first_treat) window(-4) ref(-1) fe(countyreal year)',
      'placebo reps(abc) seed(1 2): did lemp treat, fe(countyreal year)',
      'reg lemp treat, robust(1)',
      'reghdfe lemp treat',
      'psmatch treat lpop, gen()',
    ].join('\n');
  const ds = analyze(text).diagnostics;
  const msgs = ds.map((d) => `${d.range.start.line}:${d.code}:${d.message}`);
  assert.ok(msgs.some((m) => /^2:option-args:option window\(\) needs 2 numbers/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^3:option-args:option reps\(\) expects a whole number, found `abc`/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^3:option-args:too many arguments in seed\(\)/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^4:option-args:option robust takes no arguments/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^5:missing-option:reghdfe needs option absorb\(\)/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^6:option-args:option gen\(\) needs a new variable name/.test(m)), msgs.join('\n'));
});

test('undefined global, with a suggestion when one is close', () => {
  const text = HEAD + 'global controls lpop\nreg lemp treat $contrls\nreg lemp $other\n';
  const ds = analyze(text).diagnostics.filter((d) => d.code === 'undefined-global');
  assert.equal(ds.length, 2);
  assertAt(ds[0], text, '$contrls');
  assert.match(ds[0].message, /did you mean `\$controls`/);
  assertAt(ds[1], text, '$other');
});

test('a global used as a varlist is checked after expansion', () => {
  const text = HEAD + 'global controls lpop lpopp\nreg lemp treat $controls\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1);
  assert.match(ds[0].message, /\$controls expands to unknown variable `lpopp`/);
});

test('missing data file: diagnostic on the path string', () => {
  const text = 'use "nope/missing.csv"\nreg lemp treat\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1, JSON.stringify(ds));
  assert.equal(ds[0].code, 'data-file');
  assert.match(ds[0].message, /not found: nope\/missing\.csv/);
  assertAt(ds[0], text, '"nope/missing.csv"');
});

test('globals expand inside a use path', () => {
  const text = 'global dir .\nuse "$dir/mpdta.csv"\nreg lemq treat\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['unknown-variable']);
  assert.match(ds[0].message, /did you mean `lemp`/);
});

test('unreadable data file: the DataError message', () => {
  const text = 'use "../NOTES.md"\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'data-file');
  assert.ok(ds[0].message.length > 5);
});

test('L./F./D. need xtset above', () => {
  const text = 'use "mpdta.csv"\ngen a = L.lemp\nreg lemp F.lpop\nxtset countyreal year\ngen b = D.lemp\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['ts-without-xtset', 'ts-without-xtset']);
  assertAt(ds[0], text, 'L.');
  assertAt(ds[1], text, 'F.');
});

test('esttab of a model never stored', () => {
  const text = HEAD + 'eststo m1: reg lemp treat\nesttab m1 m2\neststo m2: reg lemp lpop\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1);
  assert.equal(ds[0].code, 'unknown-model');
  assertAt(ds[0], text, 'm2');
});

test('esttab knows the names the runtime stores: est1 for a bare eststo, NAME_y per outcome', () => {
  const text = HEAD + 'eststo: reg lemp treat\neststo mo: reg (lemp lpop) treat\nesttab est1 mo_lemp mo_lpop\nesttab est2\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['unknown-model']);
  assertAt(ds[0], text, 'est2');
});

test('gen of an existing variable, replace of a missing one', () => {
  const text = HEAD + 'gen lemp = 1\nreplace nothere = 1\ngen fresh = 2\nreplace fresh = 3\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['gen-exists', 'replace-missing']);
  assertAt(ds[0], text, 'lemp');
  assertAt(ds[1], text, 'nothere');
});

test('dropped variables are unknown afterwards; renamed columns are known by their new name', () => {
  const text = HEAD + 'drop lpop\nreg lemp lpop first_treat\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['unknown-variable']);
  assertAt(ds[0], text, 'lpop', 1);
});

test('a string variable as a regressor or depvar', () => {
  const text = HEAD + 'gen s = "a"\nreg s treat\nreghdfe lemp s, absorb(s)\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['string-variable', 'string-variable']);
  assert.match(ds[0].message, /dependent variable `s` is a string/);
  assert.match(ds[1].message, /regressor `s` is a string/);
});

test('a broken line does not hide diagnostics on later lines', () => {
  const text = HEAD + 'reghdfe lemp treat, absorb(\nreg lemq treat\n';
  const ds = analyze(text).diagnostics;
  assert.ok(ds.some((d) => d.code === 'syntax' && d.range.start.line === 2));
  const v = ds.find((d) => d.code === 'unknown-variable');
  assertAt(v, text, 'lemq');
});

test('without data the variable checks stay silent (no false errors)', () => {
  const ds = analyze('reg y x\ngen z = y + 1\n').diagnostics;
  assert.deepEqual(ds, []);
});

test('globals expand inside option arguments and prefixes: no false errors', () => {
  const text =
    HEAD +
    [
      'global fe countyreal year',
      'global cl cluster countyreal',
      'global w -4 3',
      'global r 50',
      'global rhs treat',
      'global all $rhs lpop',
      'global rhs nothing_here',
      'reghdfe lemp $all, absorb($fe) vce($cl)',
      'eventstudy lemp, treat(first_treat) window($w) ref(-1) fe($fe) cluster(countyreal)',
      'placebo reps($r) units(10) seed(1): did lemp treat, fe($fe) cluster(countyreal)',
      'gen z = $rhs',
    ].join('\n');
  const ds = analyze(text).diagnostics;
  // only `gen z = $rhs` is wrong: rhs is now `nothing_here`; $all kept the value rhs had when it was defined
  assert.deepEqual(ds.map((d) => `${d.code}:${d.message}`), ['unknown-variable:$rhs expands to unknown variable `nothing_here`']);
  assertAt(ds[0], text, '$rhs', 1);
});

test('a wrong variable inside an expanded option global lands on the $ref, without a quick fix', () => {
  const text = HEAD + 'global cl cluster contyreal\nreghdfe lemp treat, absorb(countyreal) vce($cl)\n';
  const ds = analyze(text).diagnostics;
  assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.message)));
  assert.match(ds[0].message, /^\$cl expands to unknown variable `contyreal` \(did you mean `countyreal`\?\)/);
  assertAt(ds[0], text, '$cl');
  assert.equal(ds[0].data, undefined);
  const bad = HEAD + 'global v cluser countyreal\nreghdfe lemp treat, absorb(countyreal) vce($v)\n';
  const d2 = analyze(bad).diagnostics;
  assert.equal(d2.length, 1);
  assert.match(d2[0].message, /vce\(cluser\) is not a variance estimator: use robust, cluster VARLIST/);
  assertAt(d2[0], bad, '$v');
});

test('a global defined from an undefined global: the definition is flagged, its uses are not', () => {
  const text = HEAD + 'global cl cluster $unit\nreghdfe lemp treat, absorb(countyreal) vce($cl)\nplacebo reps($cl): did lemp treat, fe(countyreal)\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(codes(ds), ['undefined-global']);
  assertAt(ds[0], text, '$unit');
});

test('prefix options written without a comma are checked as options, after global expansion', () => {
  const text = HEAD + 'global n abc\nplacebo reps(500) unitz(3) seed($n): did lemp treat, fe(countyreal year)\n';
  const ds = analyze(text).diagnostics;
  const msgs = ds.map((d) => d.message);
  assert.ok(msgs.some((m) => /option `unitz` not allowed with placebo \(did you mean `units`\?\)/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /option seed\(\) expects a whole number, found `abc`/.test(m)), msgs.join('\n'));
  assertAt(ds.find((d) => /seed/.test(d.message)), text, '$n');
});

// Static checks that stand in for run-time errors (server/src/analysis/exprTypes.ts and check.ts):
// unknown functions and argument counts, string/number mismatches known from the dataset's column
// types, weights estimation refuses. Each is reported before anything runs, on the exact token.
// Against test/reference/data/cigarettes_sw.csv (`state` is a string column, the rest numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, assertAt } from './helpers';
import type { CheckDiagnostic } from '../../server/src/analysis/check';

const HEAD = 'use "cigarettes_sw.csv"\nxtset state year\n';
const check = (body: string): { text: string; ds: CheckDiagnostic[] } => {
  const text = HEAD + body + '\n';
  return { text, ds: analyze(text).diagnostics };
};
const lines = (ds: CheckDiagnostic[]): string[] => ds.map((d) => `${d.code}: ${d.message}`);
/** `LINE:TEXT` under a one-line diagnostic (1-based line of the whole text): the exact token flagged. */
const under = (text: string, d: CheckDiagnostic): string => {
  assert.equal(d.range.start.line, d.range.end.line);
  return `${d.range.start.line + 1}:${text.split('\n')[d.range.start.line].slice(d.range.start.character, d.range.end.character)}`;
};

test('unknown function in gen: on the name, with did you mean and a quick-fix replacement', () => {
  const { text, ds } = check('gen y = lgo(packs)');
  assert.deepEqual(lines(ds), ['unknown-function: unknown function lgo() (did you mean `log`?)']);
  assertAt(ds[0], text, 'lgo');
  assert.deepEqual(ds[0].data, { replacements: ['log'], kind: 'function' });
  const far = check('gen y = foo(packs)').ds;
  assert.deepEqual(lines(far), ['unknown-function: unknown function foo()']);
  assert.equal(far[0].data, undefined);
});

test('unknown function in if, keep if and replace; its arguments are still checked', () => {
  const { text, ds } = check('keep if blah(packs) > 1\nsummarize packs if foo(tax)\nreplace packs = bar(pakcs)');
  assert.deepEqual(
    ds.map((d) => d.code),
    ['unknown-function', 'unknown-function', 'unknown-function', 'unknown-variable'],
  );
  assertAt(ds[0], text, 'blah');
  assertAt(ds[1], text, 'foo');
  assertAt(ds[2], text, 'bar');
  assertAt(ds[3], text, 'pakcs');
});

test('wrong argument count is a static error, with the runtime wording', () => {
  const { text, ds } = check('gen a = log(packs, 2)\ngen b = inrange(packs, 1)\ngen c = inlist(packs)\ngen d = cond(packs > 1, 1, 2, 3, 4)');
  assert.deepEqual(lines(ds), [
    'function-args: log() takes 1 argument, got 2',
    'function-args: inrange() takes 3 arguments, got 2',
    'function-args: inlist() takes at least 2 arguments, got 1',
    'function-args: cond() takes 3 to 4 arguments, got 5',
  ]);
  assertAt(ds[0], text, 'log');
  assertAt(ds[3], text, 'cond');
});

test('every function the runtime computes passes the check; names are case-insensitive as at run time', () => {
  const { ds } = check(
    [
      'gen a = log(packs) + ln(packs) + log10(packs) + exp(1) + sqrt(packs) + abs(tax) + floor(tax) + ceil(tax) + int(tax) + sign(tax)',
      'gen b = logit(0.5) + invlogit(tax) + round(tax) + round(tax, 0.1) + mod(year, 4) + min(tax, price) + max(tax, price, 1)',
      'gen c = missing(tax, state) + mi(state) + inlist(year, 1985, 1995) + inlist(state, "AL", "AK") + inrange(tax, 1, 50)',
      'gen d = cond(tax > 30, "high", state) + string(year) + strofreal(tax) + lower(state) + strlower(state) + upper(state)',
      'gen e = strupper(trim(strtrim(substr(state, 1, 1))))',
      'gen f = strlen(state) + length(state) + strpos(state, "A") + real(state) + real(tax) + LOG(packs) + Sqrt(tax)',
      'gen g = cond(tax > 30, 1, 0, .) + (state[_n-1] == "AL")',
    ].join('\n'),
  );
  assert.deepEqual(lines(ds), []);
});

test('a string column with a number: gen, keep if, comparisons; the string side is underlined', () => {
  const { text, ds } = check('gen z = state + 1\nkeep if state > 3\ngen w = tax == "a"');
  assert.deepEqual(lines(ds), [
    'type-mismatch: type mismatch: cannot combine a string and a number with + (`state` is a string)',
    'type-mismatch: type mismatch: cannot combine a string and a number with > (`state` is a string)',
    'type-mismatch: type mismatch: cannot combine a string and a number with == ("a" is a string)',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:state', '4:state', '5:"a"']);
});

test('strings where numbers are needed: unary minus, if on a string, arithmetic on strings, function arguments', () => {
  const { text, ds } = check('gen a = -state\nsummarize tax if state\ngen b = state * "x"\ngen c = log(state)\ngen d = strlen(tax)\ngen e = L.state');
  assert.deepEqual(lines(ds), [
    'type-mismatch: type mismatch: - needs a number, got a string',
    'type-mismatch: type mismatch: if needs a number, got a string',
    'type-mismatch: operator * does not apply to strings',
    'type-mismatch: type mismatch: log() needs a number, got a string',
    'type-mismatch: type mismatch: strlen() needs a string',
    'type-mismatch: L.state: time-series operators need a numeric variable',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:state', '4:state', '5:state', '6:state', '7:tax', '8:L.state']);
});

test('mixed kinds inside inlist() and cond(): the odd argument is underlined', () => {
  const { text, ds } = check('gen a = inlist(state, "AL", 3)\ngen b = cond(tax > 1, state, 0)');
  assert.deepEqual(lines(ds), [
    'type-mismatch: type mismatch in inlist(): mix of strings and numbers',
    'type-mismatch: type mismatch in cond(): both branches must be numbers or both strings',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:3', '4:0']);
});

test('types flow through gen: a variable made from a string is a string; replace keeps the type; gen str needs a string', () => {
  const { text, ds } = check('gen s = cond(tax > 30, state, "low")\ngen t = s + 1\nreplace tax = "x"\nreplace s = 2\ngen str5 u = year\ngen str5 v = state');
  assert.deepEqual(lines(ds), [
    'type-mismatch: type mismatch: cannot combine a string and a number with + (`s` is a string)',
    'type-mismatch: type mismatch: tax is numeric',
    'type-mismatch: type mismatch: s is a string variable',
    'type-mismatch: type mismatch: a str variable needs a string expression',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['4:s', '5:"x"', '6:2', '7:year']);
});

test('unknown kinds are never guessed: unreadable globals, no data, a variable of unsure type', () => {
  // `$g` is not defined: only that is reported; `y` (made from it) may be a string or a number
  const a = check('gen y = $g\ngen z = y + 1\ngen w = y + "a"');
  assert.deepEqual(a.ds.map((d) => d.code), ['undefined-global']);
  // without a dataset nothing is known about variables, but literals still are
  const b = analyze('gen y = x + 1\ngen z = x + "a"\ngen w = "a" * 2\n').diagnostics;
  assert.deepEqual(lines(b), ['type-mismatch: type mismatch: cannot combine a string and a number with * ("a" is a string)']);
  // a global that reads as a string expression is typed as one
  const c = check('global pre "AL"\nglobal cut tax > 30\ngen a = state == "$pre"\nkeep if $cut\ngen b = $cut + 1');
  assert.deepEqual(lines(c.ds), []);
});

test('a string variable as regressor, depvar, c. interaction or adoption time; as a factor, FE or cluster it is fine', () => {
  const { text, ds } = check(
    [
      'reg packs state',
      'reg state tax',
      'reg packs c.state#c.tax',
      'eventstudy packs, treat(state) window(-2 2) ref(-1) fe(year)',
      'reghdfe packs tax i.state state#c.tax, absorb(state year) vce(cluster state)',
      'reghdfe packs tax [aw=population], absorb(state#year) cluster(state)',
    ].join('\n'),
  );
  assert.deepEqual(ds.map((d) => d.code), ['string-variable', 'string-variable', 'string-variable', 'string-variable']);
  assert.match(ds[0].message, /^regressor `state` is a string variable/);
  assert.match(ds[1].message, /^dependent variable `state` is a string variable/);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:state', '4:state', '5:state', '6:state']);
});

test('estimation weights other than aw: the runtime refuses them, so the check does, on the weight type', () => {
  const { text, ds } = check('reg packs tax [pw=population]\nreghdfe packs tax [fw=population], absorb(year)\ndid packs tax [iw=population], fe(state year)\nreg packs tax [aweight=population]\nsummarize packs [fw=population]');
  assert.deepEqual(lines(ds), [
    'weight-type: only analytic weights [aw=VAR] are supported, not pw',
    'weight-type: only analytic weights [aw=VAR] are supported, not fw',
    'weight-type: only analytic weights [aw=VAR] are supported, not iw',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:pw', '4:fw', '5:iw']);
  assert.deepEqual(ds[0].data?.replacements, ['aw']);
});

test('in F/L: accepted where a command takes a sample; flagged where it would be ignored, at 0 or backwards', () => {
  const ok = check('reg packs tax in 1/50\nsummarize packs in -10/l\nkeep in f/90\ngen y = 1 in 5\nreg packs ib1990.year ib(last).state in f/l');
  assert.deepEqual(lines(ok.ds), []);
  const { text, ds } = check('sort year in 1/5\nreg packs tax in 0/5\nsummarize tax in 9/3\nsummarize tax in -3/-9');
  assert.deepEqual(lines(ds), [
    'in-range: `in` is not allowed with sort',
    'in-range: observation numbers start at 1 (or -1 for the last)',
    'in-range: in 9/3 is backwards: the first observation is after the last',
    'in-range: in -3/-9 is backwards: the first observation is after the last',
  ]);
  assert.deepEqual(ds.map((d) => under(text, d)), ['3:in 1/5', '4:in 0/5', '5:in 9/3', '6:in -3/-9']);
});

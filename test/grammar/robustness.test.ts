// parse() never throws, always returns ranges inside the text, and copes with huge input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lex, parse } from '../../grammar/src/index';
import { allRanges, fuzzRuns } from './helpers';
import { MAX_EXPR_DEPTH } from '../../grammar/src/limits';

const VALID = `* Baseline two-way FE DiD
use "data/cities.csv", clear
xtset city year
global controls lngdp lnpop fdi ///
  urban
gen lny = log(gdp) if gdp > 0
bysort city (year): gen lag = x[_n-1]
egen hhi_idx = hhi(a b c), by(city)
entropy idx = a b c, negative(c) shift(0.0001) scale(100)
eststo m1: reghdfe y did $controls [aw=pop] if year > 2005, absorb(city year) vce(cluster city)
placebo reps(500) units(100) seed(1): did y treat, fe(city year) cluster(city)
ivreghdfe y (x1 = z1 z2) w, absorb(city#year) cluster(city)
eventstudy y, treat(first_treat) window(-4 5) ref(-1) fe(city year)
esttab m1 m2 using "t3.tex", keep(did) title("Table 3") replace star(* 0.1 ** 0.05)
/* block */ keep x1-x5 gdp* i.year c.x#c.y L2.x
`;

/**
 * Line/character of every offset, computed independently of the parser's LineIndex (one pass over
 * the text, so that checking hundreds of ranges stays linear).
 */
function expectedPositions(text: string): { line: number; character: number }[] {
  const out: { line: number; character: number }[] = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, character: i - start });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return out;
}

function checkProgram(text: string): void {
  const p = parse(text);
  const expected = expectedPositions(text);
  for (const r of allRanges(p)) {
    assert.ok(r.start.offset >= 0 && r.end.offset <= text.length && r.start.offset <= r.end.offset, `range ${JSON.stringify(r)} outside text of length ${text.length}`);
    assert.deepEqual({ line: r.start.line, character: r.start.character }, expected[r.start.offset]);
    assert.deepEqual({ line: r.end.line, character: r.end.character }, expected[r.end.offset]);
  }
  for (const e of p.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0 && !e.message.includes('\n    at '));
  lex(text); // must not throw either
}

const alphabet = fc.constantFrom(
  ...'abcxyLFDi_0123456789 \t\n\r.,:;()[]{}=<>!~&|+-*/^#$"`\'?@%\\'.split(''),
  '///', '//', '/*', '*/', 'if ', 'using ', 'reg ', 'gen ', 'egen ', 'global ', 'eststo m:', 'L.', '${', '"x"', '\r\n', 'é', '收入', '€', 'ib2.',
);

// Runs per property: a few hundred by default (the whole suite must stay fast); set
// PANELSPEC_FUZZ_RUNS (e.g. 20000) for a deep run, see grammar/README.md.

test('random strings never make parse throw; ranges stay inside the text', () => {
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (text) => checkProgram(text)),
    { numRuns: fuzzRuns(300) },
  );
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => checkProgram(text)), { numRuns: fuzzRuns(300) });
});

test('mutated valid specs never make parse throw; ranges stay inside the text', () => {
  const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), ins: fc.array(alphabet, { maxLength: 3 }).map((a) => a.join('')) });
  fc.assert(
    fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
      let text = VALID;
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.ins + text.slice(at + e.del);
      }
      checkProgram(text);
    }),
    { numRuns: fuzzRuns(300) },
  );
});

test('the valid sample itself parses without errors', () => {
  const p = parse(VALID);
  assert.deepEqual(p.errors, []);
  assert.equal(p.statements.length, 13);
});

test('a 5 MB single-line spec parses (no hang, no crash)', () => {
  const text = 'reghdfe y ' + Array.from({ length: 700_000 }, (_, i) => `x${i}`).join(' ') + ', absorb(city year)';
  assert.ok(text.length > 5_000_000);
  const p = parse(text);
  assert.equal(p.errors.length, 0);
  assert.equal(p.statements.length, 1);
  const c = p.statements[0].command;
  assert.equal(c.body.kind === 'terms' && c.body.terms.length, 700_001);
  assert.equal(c.options[0].name, 'absorb');
  assert.equal(c.range.end.offset, text.length);
});

test('a 1 MB single-line expression and a 5 MB comment parse', () => {
  // 250k operators: far past any recursion limit (the expression rule is flat), at a fifth of the
  // cost of 5 MB; the 5 MB varlist above covers the size. A chain that deep is refused (one clear
  // error at the operator past MAX_EXPR_DEPTH) and stands as a shallow node, so no walk overflows.
  const e = parse('gen y = ' + 'a + '.repeat(250_000) + 'a');
  assert.deepEqual(e.errors.map((x) => [x.message.slice(0, 50), x.range.start.offset]), [['expression nested more than 1,000 operators deep (', 8 + 4 * MAX_EXPR_DEPTH + 2]]);
  assert.equal(e.statements.length, 1);
  const top = e.statements[0].command.body;
  assert.ok(top.kind === 'gen' && top.expr.kind === 'missing' && top.expr.range.end.offset === 8 + 1_000_001);
  // the longest chain allowed parses into a binary tree of that depth
  const ok = parse('gen y = ' + 'a + '.repeat(MAX_EXPR_DEPTH) + 'a');
  assert.equal(ok.errors.length, 0);
  let depth = 0;
  for (let x = ok.statements[0].command.body.kind === 'gen' ? ok.statements[0].command.body.expr : undefined; x?.kind === 'binary'; x = x.left) depth++;
  assert.equal(depth, MAX_EXPR_DEPTH);
  const c = parse('* ' + 'x'.repeat(5_000_000) + '\nsum y');
  assert.equal(c.statements.length, 1);
  assert.equal(c.comments.length, 1);
  const s = parse('label var y "' + 'x'.repeat(5_000_000));
  assert.equal(s.errors.length, 1);
});

test('a 20k-line spec parses (test/grammar/parse.perf.ts times 100k lines)', () => {
  const text = 'gen y = log(x) + 2*z if a == 1\nreghdfe y x1 x2, absorb(city year) vce(cl city)\n'.repeat(10_000);
  const p = parse(text);
  assert.equal(p.errors.length, 0);
  assert.equal(p.statements.length, 20_000);
  assert.equal(p.statements[19_999].range.start.line, 19_999);
  assert.equal(p.statements[19_999].command.options[1].range.end.character, 47);
});

test('non-string input does not throw', () => {
  assert.equal(parse(undefined as unknown as string).statements.length, 0);
  assert.equal(parse(42 as unknown as string).errors.length, 1);
});

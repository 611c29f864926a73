// Error recovery and messages: one broken line never hides the others; ranges point at the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../../grammar/src/index';
import { slice } from './helpers';

test('a broken line in the middle: statements before and after still parse', () => {
  const text = 'use "a.csv"\nreg y x, vce(robust\nsum y\ngen = 3\nxtset id t\n';
  const p = parse(text);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['use', 'sum', 'xtset']);
  assert.equal(p.errors.length, 2);
  assert.equal(p.errors[0].range.start.line, 1);
  assert.match(p.errors[0].message, /expected '\)'/);
  assert.equal(slice(text, p.errors[0].range), 'robust');
  assert.equal(p.errors[1].range.start.line, 3);
  assert.equal(slice(text, p.errors[1].range), '=');
});

test('gen without = points at the end of the line', () => {
  const p = parse('gen y log(x)');
  assert.equal(p.statements.length, 0);
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /expected '='/);
  assert.equal(p.errors[0].range.start.line, 0);
});

test('unterminated string: error on its line, no hang, next line parses', () => {
  const text = 'label var y "Outcome\nsum y\n';
  const p = parse(text);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum']);
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /unterminated string/);
  assert.equal(slice(text, p.errors[0].range), '"Outcome');
});

test('unterminated block comment: error at its start', () => {
  const text = 'sum y\n/* never closed\nreg y x\n';
  const p = parse(text);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum']);
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /unterminated comment/);
  assert.deepEqual(p.errors[0].range.start, { line: 1, character: 0, offset: 6 });
});

test('stray characters are reported with their range', () => {
  const text = 'sum y\nreg y x @ z\nsum x';
  const p = parse(text);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum', 'reg', 'sum']);
  assert.equal(p.errors.length, 0, 'stray punctuation in a varlist is an op term, checked by the runtime');
  const q = parse('gen y = a @ b');
  assert.equal(q.errors.length, 1);
  assert.equal(q.errors[0].range.start.character, 10);
  // é is a letter (names may be Unicode); a full-width space or a euro sign is not
  const r = parse('sum y\nreg y x €\n');
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /unexpected character '€'/);
  assert.deepEqual(r.errors[0].range.start, { line: 1, character: 8, offset: 14 });
});

test('empty prefix or command around a colon', () => {
  const a = parse('eststo m1:');
  assert.equal(a.errors.length, 1);
  assert.match(a.errors[0].message, /expected a command after ':'/);
  const b = parse(': reg y x');
  assert.equal(b.errors.length, 1);
  const c = parse('reg y x: sum y');
  assert.match(c.errors[0].message, /not a prefix command/);
});

test('a line that does not start with a command name', () => {
  const p = parse('3 + 4\n(reg y x)\nsum y');
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum']);
  assert.equal(p.errors.length, 2);
  assert.match(p.errors[0].message, /expected a command name/);
});

test('unbalanced parentheses and brackets', () => {
  for (const t of ['reg y x, absorb(city', 'reg y x)', 'gen y = (a + b', 'gen y = a + b)', 'reg y x [aw=w', 'egen m = mean(x', 'reg y x, a(b c))']) {
    const p = parse(t);
    assert.equal(p.errors.length, 1, t);
    assert.equal(p.statements.length, 0, t);
    assert.ok(p.errors[0].range.start.offset <= t.length && p.errors[0].range.end.offset <= t.length, t);
  }
});

test('deep nesting is refused with a message, not a stack overflow', () => {
  const p = parse('gen y = ' + '('.repeat(100_000) + 'a' + ')'.repeat(100_000));
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /nested more than/);
  const q = parse('gen y = ' + '-'.repeat(100_000) + 'a');
  assert.equal(q.errors.length, 1);
  const r = parse('gen y = ' + '('.repeat(150) + 'a' + ')'.repeat(150));
  assert.equal(r.errors.length, 0);
});

test('if given twice and other duplicated clauses', () => {
  const p = parse('reg y x if a > 1 if b > 2');
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /'if' may be given only once/);
});

test('errors are sorted by position', () => {
  const p = parse('gen = 1\nsum y "\ngen y = (\n');
  const offs = p.errors.map((e) => e.range.start.offset);
  assert.deepEqual(offs, [...offs].sort((a, b) => a - b));
  assert.equal(p.errors.length, 3);
});

test('a flood of errors is capped', () => {
  const p = parse('$ @\n'.repeat(5000));
  assert.equal(p.errors.length, 1001);
  assert.match(p.errors[1000].message, /too many errors: \d+ more not shown/);
});

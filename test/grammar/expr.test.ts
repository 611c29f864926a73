// Expressions: Stata precedence and associativity, literals, functions, subscripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Expr } from '../../grammar/src/index';
import { one, slice } from './helpers';

/** Parses `gen z = EXPR` and renders the tree fully parenthesised. */
function shape(expr: string): string {
  const b = one(`gen z = ${expr}`).command.body;
  if (b.kind !== 'gen') throw new Error('not a gen body');
  return show(b.expr);
}
function show(e: Expr): string {
  switch (e.kind) {
    case 'num':
      return String(e.value);
    case 'str':
      return JSON.stringify(e.value);
    case 'missing':
      return '.';
    case 'var':
      return (e.op ? `${e.op.op}${e.op.lag === 1 ? '' : e.op.lag}.` : '') + e.name;
    case 'global':
      return '$' + e.name;
    case 'unary':
      return `(${e.op}${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'index':
      return `${e.target}[${show(e.index)}]`;
  }
}

test('arithmetic precedence and left associativity', () => {
  assert.equal(shape('a + b * c'), '(a + (b * c))');
  assert.equal(shape('a - b - c'), '((a - b) - c)');
  assert.equal(shape('a / b / c'), '((a / b) / c)');
  assert.equal(shape('(a + b) * c'), '((a + b) * c)');
});

test('^ binds tighter than unary minus; left-associative as in Stata', () => {
  assert.equal(shape('-2^2'), '(-(2 ^ 2))');
  assert.equal(shape('2^3^2'), '((2 ^ 3) ^ 2)');
  assert.equal(shape('2^-1'), '(2 ^ (-1))');
  assert.equal(shape('a*-b^c'), '(a * (-(b ^ c)))');
  assert.equal(shape('-a*b'), '((-a) * b)');
});

test('logical and comparison precedence', () => {
  assert.equal(shape('a == 1 & b > 2 | c'), '(((a == 1) & (b > 2)) | c)');
  assert.equal(shape('a | b & c'), '(a | (b & c))');
  assert.equal(shape('a + 1 >= b * 2'), '((a + 1) >= (b * 2))');
  assert.equal(shape('!a == b'), '((!a) == b)');
  assert.equal(shape('!(a == b)'), '(!(a == b))');
  assert.equal(shape('~missing(x)'), '(!missing(x))');
  assert.equal(shape('a != 1 & b ~= 2'), '((a != 1) & (b != 2))');
  assert.equal(shape('a <= 1 | a < 0 | a > 3'), '(((a <= 1) | (a < 0)) | (a > 3))');
});

test('a single = inside if is taken as ==', () => {
  const c = one('keep if year = 2010').command;
  assert.equal(c.ifExpr?.kind === 'binary' && c.ifExpr.op, '==');
});

test('literals: numbers, missing, strings, _n/_N, globals', () => {
  assert.equal(shape('1e-6 + .5'), '(0.000001 + 0.5)');
  assert.equal(shape('cond(x == ., 0, x)'), 'cond((x == .), 0, x)');
  assert.equal(shape('_n == _N'), '(_n == _N)');
  assert.equal(shape('"abc"'), '"abc"');
  assert.equal(shape('$rate * 2'), '($rate * 2)');
  assert.equal(shape('${rate} * 2'), '($rate * 2)');
});

test('function calls with several arguments', () => {
  assert.equal(shape('inlist(x, 1, 2, 3)'), 'inlist(x, 1, 2, 3)');
  assert.equal(shape('inrange(x,1,5)'), 'inrange(x, 1, 5)');
  assert.equal(shape('log(x) + ln(y) - exp(sqrt(abs(z)))'), '((log(x) + ln(y)) - exp(sqrt(abs(z))))');
  assert.equal(shape('round(x, 0.01)'), 'round(x, 0.01)');
  assert.equal(shape('max(a, b, c)'), 'max(a, b, c)');
});

test('time-series operators and subscripts', () => {
  assert.equal(shape('L.x - L2.x + F.x * D.x'), '((L.x - L2.x) + (F.x * D.x))');
  assert.equal(shape('x[_n-1]'), 'x[(_n - 1)]');
  assert.equal(shape('x - x[_n - 1]'), '(x - x[(_n - 1)])');
});

test('expression ranges cover what was written, parentheses included', () => {
  const text = 'gen z = (a + b) * -c if x[_n-1] > 0';
  const c = one(text).command;
  if (c.body.kind !== 'gen') throw new Error('gen');
  const e = c.body.expr;
  assert.equal(slice(text, e.range), '(a + b) * -c');
  if (e.kind !== 'binary') throw new Error('binary');
  assert.equal(slice(text, e.left.range), '(a + b)');
  assert.equal(slice(text, e.right.range), '-c');
  const ifx = c.ifExpr!;
  assert.equal(ifx.kind === 'binary' && slice(text, ifx.left.range), 'x[_n-1]');
  assert.equal(ifx.kind === 'binary' && ifx.left.kind === 'index' && slice(text, ifx.left.targetRange), 'x');
  const call = one('gen y = log(x)').command.body;
  assert.equal(call.kind === 'gen' && call.expr.kind === 'call' && call.expr.nameRange.start.character, 8);
});

test('`[` after a blank is a weight, not a subscript', () => {
  const c = one('reg y x if a > b [aw=w]').command;
  assert.equal(c.weight?.type, 'aw');
  assert.equal(c.ifExpr?.kind === 'binary' && c.ifExpr.right.kind, 'var');
});

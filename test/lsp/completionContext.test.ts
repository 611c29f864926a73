// The completion-context logic: what the lexer-based decision picks at the cursor (`|`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionContext, statementStart } from '../../server/src/lsp/completionContext';

function ctxAt(src: string) {
  const at = src.indexOf('|');
  assert.ok(at >= 0);
  const text = src.slice(0, at) + src.slice(at + 1);
  return { ctx: completionContext(text, at), text, at };
}

test('line start and after a prefix colon: commands', () => {
  assert.equal(ctxAt('|').ctx.kind, 'command');
  assert.equal(ctxAt('use "a.csv"\nreg|').ctx.kind, 'command');
  const c = ctxAt('eststo m1: reg|').ctx;
  assert.equal(c.kind, 'command');
  assert.equal(c.kind === 'command' && c.prefix, 'reg');
  assert.equal(ctxAt('eststo m1: |').ctx.kind, 'command');
});

test('after a command name: variables, with the partial word as the replace range', () => {
  const { ctx, at } = ctxAt('reghdfe lem|');
  assert.equal(ctx.kind, 'variable');
  if (ctx.kind !== 'variable') return;
  assert.equal(ctx.prefix, 'lem');
  assert.deepEqual(ctx.replace, { start: at - 3, end: at });
  assert.equal(ctxAt('reghdfe |').ctx.kind, 'variable');
  assert.equal(ctxAt('summarize lemp |').ctx.kind, 'variable');
  assert.equal(ctxAt('xtset |').ctx.kind, 'variable');
});

test('after the comma: options of that command, minus the ones given', () => {
  const c = ctxAt('reghdfe lemp treat, absorb(year) |').ctx;
  assert.equal(c.kind, 'option');
  if (c.kind !== 'option') return;
  assert.equal(c.command, 'reghdfe');
  assert.deepEqual(c.used, ['absorb']);
  assert.equal(ctxAt('reghdfe lemp treat, |').ctx.kind, 'option');
  assert.equal(ctxAt('reghdfe lemp treat, ab|').ctx.kind, 'option');
});

test('inside absorb( fe( cluster( and vce(cluster : variables; vce( offers keywords', () => {
  for (const s of ['reghdfe y x, absorb(|', 'reghdfe y x, absorb(countyreal |', 'did y d, fe(a b) cluster(|', 'reghdfe y x, a(|', 'reg y x, vce(cluster |']) {
    assert.equal(ctxAt(s).ctx.kind, 'variable', s);
  }
  assert.equal(ctxAt('reg y x, vce(|').ctx.kind, 'vce');
  assert.equal(ctxAt('reg y x, vce(ro|').ctx.kind, 'vce');
  assert.equal(ctxAt('reg y x, vce(robust |').ctx.kind, 'none');
  assert.equal(ctxAt('placebo reps(|').ctx.kind, 'none'); // a number
  assert.equal(ctxAt('eventstudy y, window(|').ctx.kind, 'none');
});

test('placebo prefix offers its options without a comma', () => {
  const c = ctxAt('placebo reps(500) |').ctx;
  assert.equal(c.kind, 'option');
  assert.deepEqual(c.kind === 'option' && c.used, ['reps']);
});

test('$ offers globals, with the $ inside the replace range', () => {
  const { ctx, at } = ctxAt('reg y x $|');
  assert.equal(ctx.kind, 'global');
  assert.deepEqual(ctx.kind === 'global' && ctx.replace, { start: at - 1, end: at });
  const c2 = ctxAt('reg y x $con|').ctx;
  assert.equal(c2.kind === 'global' && c2.prefix, 'con');
});

test('inside use " : files; inside other strings and comments: nothing', () => {
  const { ctx, at } = ctxAt('use "da|');
  assert.equal(ctx.kind, 'file');
  assert.deepEqual(ctx.kind === 'file' && ctx.replace, { start: at - 2, end: at });
  assert.equal(ctxAt('esttab m1 using "|').ctx.kind, 'file');
  assert.equal(ctxAt('label var x "ab|').ctx.kind, 'none');
  assert.equal(ctxAt('reg y x // comm|').ctx.kind, 'none');
  assert.equal(ctxAt('* a comment reg|').ctx.kind, 'none');
});

test('esttab offers models; egen x = offers functions; gen NEW offers nothing', () => {
  assert.equal(ctxAt('esttab |').ctx.kind, 'model');
  assert.equal(ctxAt('esttab m1 m|').ctx.kind, 'model');
  assert.equal(ctxAt('egen m = |').ctx.kind, 'egenFunction');
  assert.equal(ctxAt('egen m = me|').ctx.kind, 'egenFunction');
  assert.equal(ctxAt('egen m = mean(|').ctx.kind, 'variable');
  assert.equal(ctxAt('gen |').ctx.kind, 'none');
  assert.equal(ctxAt('gen z = |').ctx.kind, 'variable');
  assert.equal(ctxAt('replace |').ctx.kind, 'variable');
  assert.equal(ctxAt('drop if |').ctx.kind, 'variable');
});

test('L. operator and /// continuations', () => {
  assert.equal(ctxAt('reg y L.|').ctx.kind, 'variable');
  const { ctx } = ctxAt('reghdfe lemp treat /// controls\n    lpop, ///\n    absorb(|');
  assert.equal(ctx.kind, 'variable');
  const c2 = ctxAt('reghdfe lemp treat ///\n  , |').ctx;
  assert.equal(c2.kind, 'option');
  const text = 'a\nreg y ///\n x ///\n z';
  assert.equal(statementStart(text, text.length), 2);
});

test('`in` being typed is still the prefix of a variable name (income, index)', () => {
  const { ctx, at } = ctxAt('reg y in|');
  assert.equal(ctx.kind, 'variable');
  if (ctx.kind !== 'variable') return;
  assert.equal(ctx.prefix, 'in');
  assert.deepEqual(ctx.replace, { start: at - 2, end: at });
});

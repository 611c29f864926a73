// Comments and line continuation; lex() and tokenAt() for the language server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, parse, tokenAt, tokenIndexBefore } from '../../grammar/src/index';
import { one, parseOk, slice } from './helpers';

test('// and /* */ comments are recorded and skipped', () => {
  const text = 'sum y // summary\n/* block\n comment */ reg y x\n';
  const p = parse(text);
  assert.equal(p.errors.length, 0);
  assert.deepEqual(p.comments.map((c) => slice(text, c)), ['// summary', '/* block\n comment */']);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum', 'reg']);
});

test('* at the start of a statement line is a comment', () => {
  const text = '* a header\n   * indented too\nsum y\n';
  const p = parse(text);
  assert.equal(p.errors.length, 0);
  assert.deepEqual(p.comments.map((c) => slice(text, c)), ['* a header', '* indented too']);
  assert.deepEqual(p.statements.map((s) => s.command.name), ['sum']);
});

test('* in the middle of a line is multiplication or a wildcard, not a comment', () => {
  const g = one('gen y = a * b');
  assert.equal(g.command.body.kind === 'gen' && g.command.body.expr.kind === 'binary' && g.command.body.expr.op, '*');
  const k = one('keep gdp*');
  assert.equal(k.command.body.kind === 'terms' && k.command.body.terms[0].kind === 'var' && k.command.body.terms[0].name, 'gdp*');
  assert.equal(parse('gen y = a * b').comments.length, 0);
});

test('/// continues a statement; the rest of that line is a comment', () => {
  const text = 'reghdfe y x1 x2 /// controls\n    x3, absorb(city) ///\n    vce(cluster city)\nsum y';
  const p = parse(text);
  assert.equal(p.errors.length, 0);
  assert.equal(p.statements.length, 2);
  const c = p.statements[0].command;
  assert.deepEqual(c.body.kind === 'terms' && c.body.terms.map((t) => (t.kind === 'var' ? t.name : '?')), ['y', 'x1', 'x2', 'x3']);
  assert.deepEqual(c.options.map((o) => o.name), ['absorb', 'vce']);
  assert.equal(c.options[1].range.start.line, 2);
  assert.deepEqual(p.comments.map((r) => slice(text, r)), ['/// controls', '///']);
  assert.equal(p.statements[0].range.end.line, 2);
});

test('a * line after /// is part of the statement, not a comment', () => {
  const p = parseOk('gen y = a ///\n * b');
  assert.equal(p.length, 1);
  const b = p[0].command.body;
  assert.equal(b.kind === 'gen' && b.expr.kind === 'binary' && b.expr.op, '*');
});

test('a block comment spanning lines joins them, as in Stata', () => {
  const p = parseOk('reg y x /*\n*/ z');
  assert.equal(p.length, 1);
  const b = p[0].command.body;
  assert.equal(b.kind === 'terms' && b.terms.length, 3);
});

test('// inside a string is not a comment', () => {
  const c = one('use "http://example.org/a.csv"').command;
  assert.equal(c.body.kind === 'terms' && c.body.terms[0].kind === 'str' && c.body.terms[0].value, 'http://example.org/a.csv');
});

test('lex: tokens with types and ranges, comments, errors', () => {
  const text = 'reg y x, vce(cl city) // c\n$g';
  const r = lex(text);
  assert.deepEqual(
    r.tokens.map((t) => [t.type, t.image]),
    [
      ['Identifier', 'reg'], ['Identifier', 'y'], ['Identifier', 'x'], ['Comma', ','], ['Identifier', 'vce'], ['LParen', '('],
      ['Identifier', 'cl'], ['Identifier', 'city'], ['RParen', ')'], ['Newline', '\n'], ['GlobalRef', '$g'],
    ],
  );
  assert.deepEqual(r.tokens[10].range, { start: { line: 1, character: 0, offset: 27 }, end: { line: 1, character: 2, offset: 29 } });
  assert.deepEqual(r.comments.map((c) => [c.kind, slice(text, c.range)]), [['line', '// c']]);
  assert.equal(r.errors.length, 0);
});

test('tokenAt finds the token under or just before the cursor', () => {
  const { tokens } = lex('reg y x, vce(');
  assert.equal(tokenAt(tokens, 0)?.image, 'reg');
  assert.equal(tokenAt(tokens, 3)?.image, 'reg', 'cursor right after a word');
  assert.equal(tokenAt(tokens, 12)?.image, '(', 'cursor between vce and ( prefers the token starting there');
  assert.equal(tokenAt(tokens, 13)?.image, '(');
  assert.equal(tokenAt(tokens, 100), undefined);
  assert.equal(tokens[tokenIndexBefore(tokens, 13)].image, '(');
  assert.equal(tokenIndexBefore(tokens, 0), -1);
});

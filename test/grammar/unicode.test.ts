// Names may hold Unicode letters (Stata 14+; the data layer keeps `城市` as a column name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex, parse } from '../../grammar/src/index';
import { one, slice, strip } from './helpers';

test('gen 收入 = 1 makes a variable with a Chinese name', () => {
  const text = 'gen 收入 = 1';
  const c = one(text).command;
  assert.equal(c.body.kind, 'gen');
  if (c.body.kind !== 'gen') return;
  assert.equal(c.body.target.name, '收入');
  assert.equal(slice(text, c.body.target.range), '收入');
  assert.deepEqual(c.body.target.range.start, { line: 0, character: 4, offset: 4 });
  assert.deepEqual(strip(c.body.expr), { kind: 'num', value: 1 });
});

test('reg 收入 x: Unicode names in varlists, expressions, options and globals', () => {
  const text = 'reg 收入 x 城市_2 if 城市 > 0 & L.收入 != ., vce(cluster 城市)\nglobal 控制 面积 人口\nsum $控制 ${控制}';
  const p = parse(text);
  assert.deepEqual(p.errors, []);
  const c = p.statements[0].command;
  assert.ok(c.body.kind === 'terms');
  if (c.body.kind !== 'terms') return;
  assert.deepEqual(c.body.terms.map((t) => t.kind === 'var' && t.name), ['收入', 'x', '城市_2']);
  assert.deepEqual(strip(c.ifExpr), {
    kind: 'binary',
    op: '&',
    left: { kind: 'binary', op: '>', left: { kind: 'var', name: '城市' }, right: { kind: 'num', value: 0 } },
    right: { kind: 'binary', op: '!=', left: { kind: 'var', name: '收入', op: { op: 'L', lag: 1 } }, right: { kind: 'missing' } },
  });
  assert.deepEqual(strip(c.options[0].args), [{ kind: 'var', name: 'cluster', wildcard: false }, { kind: 'var', name: '城市', wildcard: false }]);
  const g = p.statements[1].command.body;
  assert.ok(g.kind === 'global' && g.name === '控制' && g.text === '面积 人口');
  const s = p.statements[2].command.body;
  assert.deepEqual(s.kind === 'terms' && s.terms.map((t) => t.kind === 'global' && t.name), ['控制', '控制']);
});

test('Unicode names keep exact UTF-16 ranges, astral letters included', () => {
  const text = 'keep 𠀀a é\nsum 城市*';
  const p = parse(text);
  assert.deepEqual(p.errors, []);
  const k = p.statements[0].command.body;
  assert.ok(k.kind === 'terms');
  if (k.kind !== 'terms') return;
  assert.equal(k.terms[0].kind === 'var' && k.terms[0].name, '𠀀a');
  assert.deepEqual([k.terms[1].range.start.character, k.terms[1].range.end.character], [9, 10]); // 𠀀 is two UTF-16 units
  const w = p.statements[1].command.body;
  assert.ok(w.kind === 'terms' && w.terms[0].kind === 'var' && w.terms[0].wildcard && w.terms[0].name === '城市*');
  assert.deepEqual(lex('gen 收入=1').tokens.map((t) => t.type), ['Identifier', 'Identifier', 'Equals', 'NumberLit']);
});

test('characters that are not letters are still errors', () => {
  const p = parse('sum y €');
  assert.equal(p.errors.length, 1);
  assert.match(p.errors[0].message, /unexpected character '€'/);
  assert.equal(p.errors[0].range.start.character, 6);
});

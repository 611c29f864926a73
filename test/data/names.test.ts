import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixNames, isValidName, toStataName } from '../../server/src/data/names';

test('Stata-style names for invalid headers', () => {
  assert.equal(toStataName('first.treat', 1), 'first_treat');
  assert.equal(toStataName('GDP per capita (yuan)', 1), 'GDP_per_capita__yuan_');
  assert.equal(toStataName('2019', 1), '_2019');
  assert.equal(toStataName('', 4), 'v4');
  assert.equal(toStataName('   ', 2), 'v2');
  assert.equal(toStataName('城市', 1), '城市'); // Stata 14+ names may hold Unicode letters
  assert.equal(toStataName('_n', 1), '__n'); // reserved
  assert.equal(toStataName('if', 1), '_if');
  assert.equal(toStataName('a'.repeat(40), 1), 'a'.repeat(32));
  assert.equal([...toStataName('长'.repeat(40), 1)].length, 32);
});

test('isValidName', () => {
  for (const s of ['x', '_x', 'x_1', 'first_treat', '城市', 'a'.repeat(32)]) assert.ok(isValidName(s), s);
  for (const s of ['', '1x', 'a.b', 'a b', '_cons', 'str12', 'a'.repeat(33)]) assert.ok(!isValidName(s), s);
});

test('duplicates get a suffix that collides with no other column', () => {
  const r = fixNames(['x', 'x', 'x_2', 'x']);
  assert.deepEqual(r.names, ['x', 'x_3', 'x_2', 'x_4']);
  assert.equal(r.warnings.length, 2);
  assert.deepEqual(r.renamedFrom, [undefined, 'x', undefined, 'x']);
  const long = 'b'.repeat(32);
  const r2 = fixNames([long, long]);
  assert.deepEqual(r2.names, [long, 'b'.repeat(30) + '_2']);
  const r3 = fixNames(['a.b', 'a_b']);
  assert.deepEqual(r3.names, ['a_b', 'a_b_2']);
});

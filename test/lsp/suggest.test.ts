// "Did you mean" suggestions: optimal-string-alignment distance and the length-scaled limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, suggest } from '../../server/src/analysis/suggest';

test('edit distance counts an adjacent swap as one edit', () => {
  assert.equal(editDistance('lemq', 'lemp'), 1);
  assert.equal(editDistance('lpmo', 'lpom'), 1); // swap
  assert.equal(editDistance('lpop', 'lpo'), 1); // deletion
  assert.equal(editDistance('year', 'yaer'), 1); // swap
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('suggestions: closest first, nothing for far or very short names', () => {
  assert.deepEqual(suggest('lemq', ['year', 'lemp', 'lpop', 'treat']), ['lemp']);
  assert.deepEqual(suggest('countyrael', ['countyreal', 'county', 'year']), ['countyreal']);
  assert.deepEqual(suggest('x', ['y', 'z']), ['y', 'z']); // one edit is allowed even for one letter
  assert.deepEqual(suggest('gdp', ['population', 'treat']), []);
  assert.deepEqual(suggest('LEMP', ['lemq', 'lemp']), ['lemp', 'lemq']); // a case-only difference ranks first
  assert.deepEqual(suggest('lemp', ['lemp']), []); // itself is not a suggestion
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatNumber, formatP, normalizeStars, starsFor, starsNote, clampDecimals } from '../../server/src/results/format';

test('formatNumber: fixed decimals, no negative zero, missing as .', () => {
  assert.equal(formatNumber(0.39, 4), '0.3900');
  assert.equal(formatNumber(-0.00001, 4), '0.0000');
  assert.equal(formatNumber(-1.23456, 3), '-1.235');
  assert.equal(formatNumber(NaN), '.');
  assert.equal(formatNumber(null), '.');
  assert.equal(formatNumber(2.5, 0), '3');
});

test('formatCount groups thousands only when asked', () => {
  assert.equal(formatCount(5130, true), '5,130');
  assert.equal(formatCount(1234567, true), '1,234,567');
  assert.equal(formatCount(5130, false), '5130');
  assert.equal(formatCount(285, true), '285');
  assert.equal(formatCount(-1234, true), '-1,234');
});

test('stars: strict thresholds, configurable', () => {
  assert.equal(starsFor(0.0000008), '***');
  assert.equal(starsFor(0.01), '**'); // p < 0.01 is needed for three stars
  assert.equal(starsFor(0.049), '**');
  assert.equal(starsFor(0.08), '*');
  assert.equal(starsFor(0.1), '');
  assert.equal(starsFor(NaN), '');
  assert.equal(starsFor(0.04, [0.05, 0.01, 0.001]), '*');
  assert.equal(starsNote(), '* p<0.10, ** p<0.05, *** p<0.01');
  assert.equal(starsNote([0.05, 0.01, 0.001]), '* p<0.05, ** p<0.01, *** p<0.001');
});

test('settings are validated', () => {
  assert.deepEqual(normalizeStars([0.01, 0.1, 0.05]), [0.1, 0.05, 0.01]);
  assert.deepEqual(normalizeStars('x'), [0.1, 0.05, 0.01]);
  assert.deepEqual(normalizeStars([2, -1]), [0.1, 0.05, 0.01]);
  assert.equal(clampDecimals(99), 12);
  assert.equal(clampDecimals('3'), 4);
  assert.equal(formatP(0.0004), '< 0.001');
  assert.equal(formatP(0.2981), '0.298');
});

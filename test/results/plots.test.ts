import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventStudySvg } from '../../server/src/results/plots/eventStudy';
import { defaultBins, histogram, placeboSvg } from '../../server/src/results/plots/placebo';
import { niceTicks } from '../../server/src/results/plots/svg';
import { ResultsError } from '../../server/src/results/errors';
import { estimation, eventStudy, placebo } from './fixtures';
import { allText, findAll, hasClass, parseXml } from './xml';

test('event study: one point per k, intervals except the reference, caption with pre-trend test', () => {
  const r = eventStudy();
  const svg = eventStudySvg(r, { title: 'Dynamic effects <GTFP>' });
  const doc = parseXml(svg);
  const root = doc.children[0];
  assert.equal(root.name, 'svg');
  assert.equal(root.attrs.xmlns, 'http://www.w3.org/2000/svg');
  const points = findAll(root, hasClass('ps-point'));
  assert.equal(points.length, 8);
  assert.equal(findAll(root, hasClass('ps-ref')).length, 1);
  // 7 non-reference periods x (vertical + two caps)
  assert.equal(findAll(root, hasClass('ps-ci')).length, 21);
  assert.equal(findAll(root, hasClass('ps-zero')).length, 1);
  assert.equal(findAll(root, hasClass('ps-adoption')).length, 1);
  const caption = findAll(root, hasClass('ps-caption'))[0];
  assert.match(allText(caption), /Pre-trend test .*F\(3, 284\) = 1\.23, p = 0\.298/);
  assert.ok(svg.includes('Dynamic effects &lt;GTFP&gt;'));
  // Points are ordered left to right by k and the zero line passes through the reference point.
  const xs = points.map((p) => Number(p.attrs.cx));
  assert.deepEqual([...xs].sort((a, b) => a - b), xs);
  const ref = findAll(root, hasClass('ps-ref'))[0];
  const zero = findAll(root, hasClass('ps-zero'))[0];
  assert.equal(Number(ref.attrs.cy), Number(zero.attrs.y1));
  // The adoption line sits between k = -1 and k = 0.
  const adopt = Number(findAll(root, hasClass('ps-adoption'))[0].attrs.x1);
  assert.ok(adopt > xs[3] && adopt < xs[4]);
  // Themed: currentColor; standalone: fixed colours on white.
  assert.ok(svg.includes('currentColor'));
  const solo = eventStudySvg(r, { standalone: true });
  assert.ok(!solo.includes('currentColor') && !solo.includes('var(--'));
  assert.ok(solo.includes('fill="#ffffff"'));
  parseXml(solo);
});

test('event study without estimates is a clear error', () => {
  assert.throws(() => eventStudySvg(estimation()), ResultsError);
});

test('placebo: one bar per bin holding every draw, actual line, p-value caption', () => {
  const r = placebo(500);
  const bins = defaultBins(500);
  assert.equal(bins, 23);
  const svg = placeboSvg(r);
  const root = parseXml(svg).children[0];
  const bars = findAll(root, hasClass('ps-bar'));
  assert.equal(bars.length, bins);
  const counts = bars.map((b) => Number(/^(\d+) draws/.exec(allText(b))![1]));
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    500,
  );
  // Taller bars for larger counts.
  const hi = counts.indexOf(Math.max(...counts));
  const lo = counts.indexOf(Math.min(...counts));
  assert.ok(Number(bars[hi].attrs.height) > Number(bars[lo].attrs.height));
  const actual = findAll(root, hasClass('ps-actual'));
  assert.equal(actual.length, 1);
  // The actual estimate (0.39) lies right of every bar (draws are within ±0.05).
  const ax = Number(actual[0].attrs.x1);
  for (const b of bars) assert.ok(Number(b.attrs.x) + Number(b.attrs.width) < ax);
  assert.match(allText(findAll(root, hasClass('ps-caption'))[0]), /500 placebo draws: .*actual 0\.3900; p &lt; 0\.001/);
  assert.equal(findAll(parseXml(placeboSvg(r, { bins: 7 })), hasClass('ps-bar')).length, 7);
});

test('histogram and ticks', () => {
  assert.deepEqual(histogram([0, 0.5, 1, 1, NaN], 2, 0, 1).counts, [1, 3]);
  const t = niceTicks(-0.13, 0.42, 6);
  assert.deepEqual(t.ticks, [-0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.ok(t.lo <= -0.13 && t.hi >= 0.42);
  assert.doesNotThrow(() => placeboSvg({ ...placebo(3), draws: [1, 1, 1] }));
  assert.throws(() => placeboSvg({ ...placebo(3), draws: [] }), ResultsError);
});

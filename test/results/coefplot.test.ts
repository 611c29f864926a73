// The coefplot SVG read back: horizontal vs vertical geometry, one marker style per model with a
// legend, reference lines, escaping, themed vs standalone colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefPlotSvg } from '../../server/src/results/plots/coefPlot';
import { ResultsError } from '../../server/src/results/errors';
import type { CoefplotResult } from '../../server/src/results/types';
import { allText, findAll, hasClass, parseXml, type XmlElement } from './xml';

function point(term: string, estimate: number, half: number, label = term) {
  return { term, category: term, label, estimate, se: half / 1.96, df: 100, ci_low: estimate - half, ci_high: estimate + half, level: 95 };
}

function fixture(over: Partial<CoefplotResult> = {}): CoefplotResult {
  return {
    kind: 'plot',
    plot: 'coefplot',
    line: 7,
    models: ['m1', 'm<2>'],
    level: 95,
    vertical: false,
    xline: [0],
    yline: [],
    title: null,
    categories: [
      { name: 'x', label: 'Openness & <trade>' },
      { name: 'z', label: 'z' },
      { name: 'w', label: 'w' },
    ],
    series: [
      { model: 'm1', points: [point('x', 0.5, 0.2, 'Openness & <trade>'), point('z', -0.3, 0.1)] },
      { model: 'm<2>', points: [point('x', 0.6, 0.25, 'Openness & <trade>'), point('z', -0.2, 0.1), point('w', 1.2, 0.4)] },
    ],
    seconds: 0,
    ...over,
  };
}

const root = (svg: string): XmlElement => parseXml(svg).children[0];
const num = (e: XmlElement, a: string) => Number(e.attrs[a]);
/** The centre of a marker path: the mean of its bounding box, read from the path's coordinates. */
function centre(e: XmlElement): [number, number] {
  const d = e.attrs.d;
  // arcs (circles) carry radii and flags: use the two explicit points M and the arc end
  if (d.includes('A')) {
    const m = /M(-?[\d.]+) (-?[\d.]+)A[\d.]+ [\d.]+ 0 1 0 (-?[\d.]+) (-?[\d.]+)/.exec(d)!;
    return [(Number(m[1]) + Number(m[3])) / 2, (Number(m[2]) + Number(m[4])) / 2];
  }
  const pts: number[][] = [];
  for (const seg of d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)) pts.push([Number(seg[1]), Number(seg[2])]);
  if (/H/.test(d)) {
    // square: M x0 y0 H x1 V y1 H x0 Z
    const m = /M(-?[\d.]+) (-?[\d.]+)H(-?[\d.]+)V(-?[\d.]+)/.exec(d)!;
    return [(Number(m[1]) + Number(m[3])) / 2, (Number(m[2]) + Number(m[4])) / 2];
  }
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

test('horizontal (default): intervals run along x, rows top to bottom in order, estimates left to right', () => {
  const svg = coefPlotSvg(fixture());
  const r = root(svg);
  const cis = findAll(r, hasClass('ps-cp-ci'));
  assert.equal(cis.length, 5);
  for (const l of cis) assert.equal(num(l, 'y1'), num(l, 'y2'), 'horizontal interval');
  const markers = findAll(r, hasClass('ps-cp-marker'));
  assert.equal(markers.length, 5);
  // model 1, coefficient x at 0.5, z at -0.3: z is further left and lower down
  const [x1, z1] = markers.slice(0, 2).map(centre);
  assert.ok(z1[0] < x1[0], 'smaller estimate further left');
  assert.ok(z1[1] > x1[1], 'second row below the first');
  // the marker sits on its interval, between its ends
  assert.ok(Math.abs(x1[1] - num(cis[0], 'y1')) < 0.02);
  assert.ok(num(cis[0], 'x1') < x1[0] && x1[0] < num(cis[0], 'x2'));
  // the two models share row x, offset from each other
  const x2 = centre(markers[2]);
  assert.ok(Math.abs(x2[1] - x1[1]) > 3 && Math.abs(x2[1] - x1[1]) < 20);
  // xline(0): a vertical line at the x of estimate 0, between z (-0.3) and x (0.5)
  const xl = findAll(r, hasClass('ps-xline'));
  assert.equal(xl.length, 1);
  assert.equal(num(xl[0], 'x1'), num(xl[0], 'x2'));
  assert.ok(num(xl[0], 'x1') > z1[0] && num(xl[0], 'x1') < x1[0]);
  // labels on the left, right-aligned, one per row
  const labels = findAll(r, hasClass('ps-cp-label'));
  assert.deepEqual(labels.map((l) => l.attrs['text-anchor']), ['end', 'end', 'end']);
  assert.ok(num(labels[0], 'x') < Math.min(...markers.map((m) => centre(m)[0])));
});

test('vertical: intervals run along y, coefficients left to right, larger estimates higher', () => {
  const svg = coefPlotSvg(fixture({ vertical: true, xline: [], yline: [0] }));
  const r = root(svg);
  const cis = findAll(r, hasClass('ps-cp-ci'));
  for (const l of cis) assert.equal(num(l, 'x1'), num(l, 'x2'), 'vertical interval');
  const markers = findAll(r, hasClass('ps-cp-marker')).map(centre);
  const [x1, z1] = markers;
  assert.ok(z1[0] > x1[0], 'second coefficient to the right');
  assert.ok(z1[1] > x1[1], 'smaller estimate lower (larger y)');
  const yl = findAll(r, hasClass('ps-yline'));
  assert.equal(yl.length, 1);
  assert.equal(num(yl[0], 'y1'), num(yl[0], 'y2'));
  assert.ok(num(yl[0], 'y1') < z1[1] && num(yl[0], 'y1') > x1[1]);
  assert.equal(findAll(r, hasClass('ps-xline')).length, 0);
});

test('one marker shape per model, a legend entry per model, every data string escaped', () => {
  const svg = coefPlotSvg(fixture({ title: 'A & <b>' }));
  const r = root(svg); // parseXml throws on a raw < or & in text or attributes
  const groups = findAll(r, hasClass('ps-series')).filter((g) => g.attrs['data-model'] !== undefined);
  assert.deepEqual(groups.map((g) => g.attrs['data-model']), ['m1', 'm&lt;2&gt;']);
  const shapes = groups.map((g) => findAll(g, hasClass('ps-cp-marker'))[0].attrs.d.replace(/-?[\d.]+/g, '#'));
  assert.notEqual(shapes[0], shapes[1]);
  const legend = findAll(r, hasClass('ps-legend-label')).map((e) => e.text);
  assert.deepEqual(legend, ['m1', 'm&lt;2&gt;']);
  assert.equal(findAll(r, hasClass('ps-cp-label'))[0].text, 'Openness &amp; &lt;trade&gt;');
  assert.equal(allText(findAll(r, hasClass('ps-title'))[0]), 'A &amp; &lt;b&gt;');
  assert.ok(!svg.includes('<trade>') && !svg.includes('<b>'));
});

test('themed for the panel (currentColor, a class per model), fixed colours on white for files', () => {
  const themed = coefPlotSvg(fixture());
  assert.ok(themed.includes('stroke="currentColor"'));
  assert.ok(/class="ps-series ps-series-1"/.test(themed));
  assert.ok(!themed.includes('#ffffff'));
  const file = coefPlotSvg(fixture(), { standalone: true });
  assert.ok(!file.includes('currentColor') && !file.includes('var(--'));
  assert.ok(file.includes('fill="#ffffff"'));
  const colours = [...new Set([...file.matchAll(/class="ps-cp-ci"[^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]))];
  assert.equal(colours.length, 2, 'one colour per model');
});

test('nothing to draw is an error naming the line', () => {
  assert.throws(() => coefPlotSvg(fixture({ categories: [], series: [] })), (e: unknown) => e instanceof ResultsError && /no coefficients to plot \(line 7\)/.test((e as Error).message));
});

test('event-time axis: categories at their k (linear in k), the k axis titled, legends by estimator', () => {
  const ev = (k: number, b: number) => ({ ...point(String(k), b, k === -1 ? 0 : 0.2), label: String(k) });
  const svg = coefPlotSvg(
    fixture({
      vertical: true,
      xline: [],
      yline: [0],
      axis: 'event_time',
      models: ['a', 'b'],
      categories: [-3, -2, -1, 0, 1, 2].map((k) => ({ name: String(k), label: String(k), at: k })),
      series: [
        { model: 'a', legend: 'a (TWFE)', points: [ev(-3, 0.1), ev(-1, 0), ev(2, 1)] },
        { model: 'b', legend: 'b (Sun-Abraham)', points: [ev(-3, 0.2), ev(0, 0.5), ev(2, 0.9)] },
      ],
    }),
  );
  const r = root(svg);
  const [m3, m1, p2] = findAll(findAll(r, (e) => e.attrs['data-model'] === 'a')[0], hasClass('ps-cp-marker')).map(centre);
  // equal steps in k are equal distances: -3 -> -1 is two steps, -1 -> 2 three
  assert.ok(Math.abs((m1[0] - m3[0]) / 2 - (p2[0] - m1[0]) / 3) < 0.02);
  // the reference period sits on the yline(0)
  const yl = findAll(r, hasClass('ps-yline'))[0];
  assert.ok(Math.abs(m1[1] - num(yl, 'y1')) < 0.02);
  // one label per k, in order, under the axis title
  assert.deepEqual(findAll(r, hasClass('ps-cp-label')).map((l) => l.text), ['-3', '-2', '-1', '0', '1', '2']);
  assert.equal(findAll(r, hasClass('ps-cp-axis-title'))[0].text, 'Periods relative to adoption (k)');
  assert.deepEqual(findAll(r, hasClass('ps-legend-label')).map((e) => e.text), ['a (TWFE)', 'b (Sun-Abraham)']);
  // model b's k = -3 is offset from a's at the same k, to the right
  const b3 = centre(findAll(findAll(r, (e) => e.attrs['data-model'] === 'b')[0], hasClass('ps-cp-marker'))[0]);
  assert.ok(b3[0] > m3[0] && b3[0] - m3[0] < 30);
});

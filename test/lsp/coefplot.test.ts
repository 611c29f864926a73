// coefplot in the editor: stored model names checked and completed as esttab's, its options checked
// (keep() names coefficients, xline() takes numbers), and the results panel lists its plot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, assertAt, dataDir } from './helpers';
import { complete } from '../../server/src/lsp/completion';
import { completionContext } from '../../server/src/lsp/completionContext';
import type { DocAnalysis } from '../../server/src/lsp/documents';
import { panelItems, plotSvg } from '../../client/src/panelModel';
import type { RunOutput } from '../../server/src/results/types';

const HEAD = 'use "mpdta.csv"\nxtset countyreal year\neststo m1: reg lemp treat\neststo m2: reg lemp lpop\n';

test('coefplot of a model never stored: unknown-model at the name', () => {
  const text = HEAD + 'coefplot m1 m3, keep(treat _cons) xline(0)\n';
  const ds = analyze(text).diagnostics;
  assert.deepEqual(ds.map((d) => d.code), ['unknown-model']);
  assertAt(ds[0], text, 'm3');
  assert.match(ds[0].message, /model `m3` was not stored/);
});

test('coefplot options: coefficient names in keep(), numbers in xline(), unknown options flagged', () => {
  const ok = HEAD + 'coefplot m1 m2, keep(treat _cons) drop(lpop) rename(treat T) vertical yline(0) levels(90) title("T") nolabels\n';
  assert.deepEqual(analyze(ok).diagnostics.map((d) => d.code), []);
  const bad = HEAD + 'coefplot m1, xline(zero) bogus\n';
  const ds = analyze(bad).diagnostics;
  assert.equal(ds.length, 2, JSON.stringify(ds.map((d) => d.message)));
  assert.ok(ds.some((d) => /xline\(\) expects numbers/.test(d.message)));
  assert.ok(ds.some((d) => /bogus/.test(d.message)));
});

test('completion after coefplot offers the stored model names', () => {
  assert.equal(completionContext('coefplot ', 9).kind, 'model');
  const text = HEAD + 'coefplot m';
  const doc = TextDocument.create('file:///x/spec.pspec', 'panelspec', 1, text);
  const a: DocAnalysis = { ...analyze(text), uri: doc.uri, version: 1, text, dir: dataDir, file: null, datasets: new Set(), nodes: () => [] };
  const items = complete(doc, a, doc.positionAt(text.length));
  const labels = (Array.isArray(items) ? items : items.items).map((i) => i.label);
  assert.deepEqual(labels.sort(), ['m1', 'm2']);
});

test('the results panel shows a coefplot result as a plot, themed and standalone', () => {
  const output: RunOutput = {
    version: 1,
    file: 'x.pspec',
    results: [
      {
        kind: 'plot', plot: 'coefplot', line: 5, models: ['m1'], level: 95, vertical: false, xline: [0], yline: [], title: null,
        categories: [{ name: 'treat', label: 'treat' }],
        series: [{ model: 'm1', points: [{ term: 'treat', category: 'treat', label: 'treat', estimate: 0.1, se: 0.05, df: 10, ci_low: 0.0, ci_high: 0.2, level: 95 }] }],
        seconds: 0,
      },
    ],
  };
  const [item] = panelItems(output, {});
  assert.equal(item.heading, 'coefplot m1 · line 5');
  assert.equal(item.plots.length, 1);
  assert.equal(item.plots[0].kind, 'coefplot');
  assert.ok(plotSvg(item.plots[0], false).includes('currentColor'));
  assert.ok(!plotSvg(item.plots[0], true).includes('currentColor'));
});

// Hovering one ATT(g,t) cell or one event time in the results panel's tables: the row's tooltip says
// what it estimates, with its estimate, SE and interval (csdid on mpdta through the CLI, checked
// against R did's att_gt in the reference case; the event study from the shared fixture).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PREP, loadCase, runSpecText } from '../cli/helpers';
import { buildPage } from '../../client/src/webview/page';
import type { RunOutput } from '../../server/src/results/types';
import { eventStudy } from '../results/fixtures';

const opts = { cspSource: 'x', nonce: 'n', display: { decimals: 4, stars: [0.1, 0.05, 0.01] } };
const tip = (html: string, label: string) => new RegExp(`<tr class="ps-data" title="([^"]*)"><th scope="row" class="ps-stub">${label}</th>`).exec(html)?.[1];

test('an ATT(g,t) row and an event-time row carry their estimate, SE and CI as a tooltip', () => {
  const r = runSpecText(`${PREP}csdid lemp, gvar(first_treat)\n`, { datasets: ['mpdta.csv'] });
  assert.equal(r.status, 0, r.stderr);
  const out = r.json as RunOutput;
  const html = buildPage({ uri: 'file:///w/s.pspec', output: out }, opts);
  const ref = loadCase('mpdta_cs_nevertreated').results.att_gt.find((c: { group: number; time: number }) => c.group === 2004 && c.time === 2006);
  const cell = (out.results.at(-1) as unknown as { att_gt: { group: number; time: number; ci_low: number; ci_high: number }[] }).att_gt.find((c) => c.group === 2004 && c.time === 2006)!;
  // R: att -0.13725873888940, se 0.03643566428768614
  assert.equal(tip(html, '2004, 2006'), `ATT(g=2004, t=2006): ${ref.att.toFixed(4)}, SE ${ref.se.toFixed(4)}, CI [${cell.ci_low.toFixed(4)}, ${cell.ci_high.toFixed(4)}]`);
  assert.match(tip(html, '2004, 2006')!, /^ATT\(g=2004, t=2006\): -0\.1373, SE 0\.0364, CI \[/);

  const es = buildPage({ uri: 'file:///w/s.pspec', output: { version: 1, file: 's', results: [eventStudy()] } }, opts);
  // k = 2: estimate 0.3, SE 0.03, interval 0.3 -/+ 0.0588
  assert.equal(tip(es, '2'), 'event time 2: 0.3000, SE 0.0300, 95% CI [0.2412, 0.3588]');
  assert.equal(tip(es, '-1'), 'event time -1: the reference period (0 by construction)');
});

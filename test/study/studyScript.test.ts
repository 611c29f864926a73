// `npm run study` says what it produced: every table/figure path it prints exists, the headline
// estimates it prints are those of results.json, and it reports the time taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

test('the study script lists its files, headline estimates and time', { timeout: 180000 }, () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'study.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = [...r.stdout.matchAll(/^ {2}line +\d+ {2}(?:table|figure \(\w+\)) +(\S+)$/gm)].map((m) => m[1]);
  const json = JSON.parse(readFileSync(join(ROOT, 'samples', 'output', 'results.json'), 'utf8'));
  const written = json.results.filter((x: any) => x.file && x.kind !== 'data');
  assert.equal(files.length, written.length);
  for (const f of files) assert.ok(existsSync(join(ROOT, f)), f);
  const b7 = json.results.find((x: any) => x.name === 'b7').coefficients[0];
  assert.match(r.stdout, new RegExp(`^  b7 +did resilience +integration +${b7.estimate.toFixed(4)}\\*{3} \\(${b7.se.toFixed(4)}\\)  N=\\d+$`, 'm'));
  assert.match(r.stdout, /^Done in \d+\.\d s \(\d+ results\)\.$/m);
});

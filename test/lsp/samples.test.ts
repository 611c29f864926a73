// The shipped sample specs pass the static checks: a checker false positive would stop the CLI
// (exit 1) on a correct spec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkSpecText, formatDiagnostics } from '../../server/src/analysis/checkFile';
import { root } from './helpers';

const dir = join(root, 'samples');
const specs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.pspec')) : [];

for (const f of specs) {
  test(`samples/${f} has no static errors`, async () => {
    const file = join(dir, f);
    const a = await checkSpecText(readFileSync(file, 'utf8'), file);
    assert.deepEqual(formatDiagnostics(`samples/${f}`, a), []);
  });
}

test('the study sample with one misspelt control gets exactly that error', { skip: !specs.includes('city_clusters.pspec') }, async () => {
  const file = join(dir, 'city_clusters.pspec');
  const text = readFileSync(file, 'utf8').replace('eststo b2: did resilience integration lndensity,', 'eststo b2: did resilience integration lndensty,');
  const a = await checkSpecText(text, file);
  const lines = formatDiagnostics('s.pspec', a);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /^s\.pspec:\d+:\d+: error: unknown variable `lndensty` \(did you mean `lndensity`\?\)$/);
});

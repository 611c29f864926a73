// Mistakes that used to surface only at run time (exit 2, after the models above them had run) are
// now found by the static check: exit 1, nothing run, `FILE:LINE:COL: error:` on the exact token.
// Each case is also run with --no-check, to show the runtime really refuses it with the same words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runSpecText } from './helpers';

const HEAD = 'use "cigarettes_sw.csv"\nxtset state year\nsummarize packs\n';

function both(line: string): { checked: ReturnType<typeof runSpecText>; unchecked: ReturnType<typeof runSpecText> } {
  const spec = HEAD + line + '\n';
  return {
    checked: runSpecText(spec, { datasets: ['cigarettes_sw.csv'] }),
    unchecked: runSpecText(spec, { datasets: ['cigarettes_sw.csv'], args: ['--no-check'] }),
  };
}

describe('run-time errors found before running (exit 1)', () => {
  it('an unknown function', () => {
    const { checked, unchecked } = both('gen y = lgo(packs)');
    assert.equal(checked.status, 1);
    assert.equal(checked.stderr.trim(), `${checked.dir}/spec.pspec:4:9: error: unknown function lgo() (did you mean \`log\`?)`);
    assert.deepEqual(checked.json?.results ?? [], []); // nothing ran, not even the summarize above
    assert.equal(unchecked.status, 2);
    assert.match(unchecked.stderr, /spec\.pspec:4:9: error: unknown function lgo\(\)/);
  });

  it('a wrong argument count', () => {
    const { checked, unchecked } = both('keep if inrange(packs, 100)');
    assert.equal(checked.status, 1);
    assert.equal(checked.stderr.trim(), `${checked.dir}/spec.pspec:4:9: error: inrange() takes 3 arguments, got 2`);
    assert.equal(unchecked.status, 2);
    assert.match(unchecked.stderr, /spec\.pspec:4:9: error: inrange\(\) takes 3 arguments, got 2/);
  });

  it('a string column used as a number', () => {
    const { checked, unchecked } = both('gen z = 1 + state');
    assert.equal(checked.status, 1);
    assert.equal(checked.stderr.trim(), `${checked.dir}/spec.pspec:4:13: error: type mismatch: cannot combine a string and a number with + (\`state\` is a string)`);
    assert.deepEqual(checked.json?.results ?? [], []);
    assert.equal(unchecked.status, 2);
    assert.match(unchecked.stderr, /error: type mismatch: cannot combine a string and a number with \+/);
  });

  it('a weight estimation refuses', () => {
    const { checked, unchecked } = both('reg packs tax [pw=population]');
    assert.equal(checked.status, 1);
    assert.equal(checked.stderr.trim(), `${checked.dir}/spec.pspec:4:16: error: only analytic weights [aw=VAR] are supported, not pw`);
    assert.equal(unchecked.status, 2);
    assert.match(unchecked.stderr, /spec\.pspec:4:16: error: only analytic weights \[aw=VAR\] are supported, not pw/);
  });
});

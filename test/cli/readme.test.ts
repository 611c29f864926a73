// Every ```stata block of README.md runs as written, through the CLI, in a copy of samples/ (the
// data a new user has): the first thing a newcomer pastes must not fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './helpers';

/** The fenced ```stata blocks of a markdown text, with the line each starts on. */
export function stataBlocks(md: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```stata\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) j++;
    out.push({ line: start + 1, code: lines.slice(start, j).join('\n') + '\n' });
    i = j;
  }
  return out;
}

const blocks = stataBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

test('README.md has stata examples', () => {
  assert.ok(blocks.length >= 1);
});

for (const b of blocks) {
  test(`README.md example at line ${b.line} runs on samples/ (exit 0)`, { timeout: 120000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'pspec-readme-'));
    cpSync(join(ROOT, 'samples'), dir, { recursive: true, filter: (src) => !src.includes(join('samples', 'output')) });
    writeFileSync(join(dir, 'readme.pspec'), b.code);
    const r = runCli(['run', join(dir, 'readme.pspec')], dir);
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stderr}\n${r.stdout.slice(-2000)}`);
    assert.doesNotMatch(r.stderr, /error/i);
  });
}

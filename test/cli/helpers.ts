// Runs the bundled CLI (dist/cli.js) as a child process on a spec written into a temp folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Repository root (tests run from out/test/cli/). */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const CLI = process.env.PANELSPEC_CLI ?? join(ROOT, 'dist', 'cli.js');
export const REF = join(ROOT, 'test', 'reference');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  json: any | null;
  dir: string;
}

/** A temp folder with copies of the named reference datasets. */
export function workDir(datasets: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'pspec-cli-'));
  for (const d of datasets) copyFileSync(join(REF, 'data', d), join(dir, d));
  return dir;
}

export function runSpecText(spec: string, opts: { dir?: string; datasets?: string[]; json?: boolean; args?: string[] } = {}): CliRun {
  const dir = opts.dir ?? workDir(opts.datasets);
  const specPath = join(dir, 'spec.pspec');
  writeFileSync(specPath, spec);
  return runCli(['run', specPath, ...(opts.json === false ? [] : ['--json', join(dir, 'out.json')]), ...(opts.args ?? [])], dir);
}

export function runCli(args: string[], dir: string): CliRun {
  const jsonPath = join(dir, 'out.json');
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  let json = null;
  if (existsSync(jsonPath)) json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json, dir };
}

export function loadCase(name: string): any {
  return JSON.parse(readFileSync(join(REF, 'cases', `${name}.json`), 'utf8'));
}

/** Equal to 1e-6 relative, or 1e-9 absolute near zero. */
export function close(actual: number, expected: number, rel = 1e-6, abs = 1e-9): boolean {
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

/** The mpdta set-up most CLI tests start from. */
export const PREP = `use "mpdta.csv"
xtset countyreal year
gen post = treat * (year >= first_treat)
`;

/** mpdta.csv as row objects (test-side, independent of PanelSpec's reader). */
export function mpdta(): Record<string, number>[] {
  const [head, ...rows] = readFileSync(join(REF, 'data', 'mpdta.csv'), 'utf8').trim().split('\n');
  const names = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, j) => [names[j], Number(v)])));
}

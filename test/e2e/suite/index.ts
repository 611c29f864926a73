// Entry point VS Code loads as `extensionTestsPath` (code-server with the smoke-test-driver payload
// here, or @vscode/test-electron's runTests elsewhere): runs the mocha suite inside the extension
// host with the real `vscode` API, and writes a pass/fail summary for run-e2e.sh to count.
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteSummary {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  // built next to this file by test/e2e/build-suite.mjs
  mocha.addFile(join(__dirname, 'extension.e2e.js'));
  const summary: SuiteSummary = { passed: 0, failed: 0, tests: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // PANELSPEC_E2E_OUT is set on the code-server process (the extension host inherits it)
      const out = process.env.PANELSPEC_E2E_OUT;
      if (out) writeFileSync(join(out, 'ext-host-summary.json'), JSON.stringify(summary, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => {
      summary.passed++;
      summary.tests.push({ title: t.fullTitle(), state: 'passed' });
    });
    runner.on('fail', (t, err: Error) => {
      summary.failed++;
      summary.tests.push({ title: t.fullTitle(), state: 'failed', error: err?.message });
    });
  });
}

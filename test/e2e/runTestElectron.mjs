// The same extension-host mocha suite (test/e2e/suite/) through @vscode/test-electron's runTests,
// for machines that can download VS Code (CI with internet, a developer's laptop). It CANNOT work
// on the offline build machine: runTests downloads VS Code first (getaddrinfo ENOTFOUND
// update.code.visualstudio.com); there `npm run test:e2e` (code-server) is the runner.
//
//   node scripts/build.mjs && node test/e2e/runTestElectron.mjs [--version 1.100.0]
//
// Unlike run-e2e.sh this loads the extension from the repository (extensionDevelopmentPath = root,
// i.e. dist/ as built), not from the .vsix.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const vi = process.argv.indexOf('--version');
const version = vi > 0 ? process.argv[vi + 1] : undefined; // default: latest stable

for (const f of ['dist/extension.js', 'dist/cli.js']) {
  if (!existsSync(join(root, f))) {
    console.error(`runTestElectron: error: ${f} is missing; run "node scripts/build.mjs" first`);
    process.exit(1);
  }
}
const suite = join(root, 'out', 'e2e', 'suite');
const b = spawnSync(process.execPath, [join(here, 'build-suite.mjs'), suite], { stdio: 'inherit' });
if (b.status !== 0) process.exit(1);

// a fresh copy of samples/ (the tests write scratch files into the workspace) and fresh settings
const scratch = mkdtempSync(join(tmpdir(), 'pspec-electron-'));
const workspace = join(scratch, 'workspace');
const userData = join(scratch, 'user-data');
const out = join(scratch, 'out');
cpSync(join(root, 'samples'), workspace, { recursive: true });
rmSync(join(workspace, 'output'), { recursive: true, force: true });
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(out);
writeFileSync(join(userData, 'User', 'settings.json'), readFileSync(join(here, 'settings.json')));

let code = 1;
try {
  await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(suite, 'index.js'),
    extensionTestsEnv: { PANELSPEC_E2E_OUT: out },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
  });
  code = 0;
} catch (e) {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`runTestElectron: ${/ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(msg) ? 'cannot download VS Code (offline?): ' : ''}${msg}`);
}
const summary = join(out, 'ext-host-summary.json');
if (existsSync(summary)) {
  const s = JSON.parse(readFileSync(summary, 'utf8'));
  console.log(`e2e (test-electron): ${s.passed} passed, ${s.failed} failed`);
}
rmSync(scratch, { recursive: true, force: true });
process.exit(code);

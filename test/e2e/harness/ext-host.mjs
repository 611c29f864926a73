// Runs the mocha suite (suite/, built by build-suite.mjs) INSIDE code-server's extension host,
// i.e. the equivalent of @vscode/test-electron's runTests(), with the real `vscode` API:
//  - the workbench URL's `payload` carries extensionDevelopmentPath + extensionTestsPath (the web
//    workbench honours it only when code-server runs with `--vscode-option enable-smoke-test-driver`);
//  - extensionDevelopmentPath is the extension AS INSTALLED from the .vsix, so the suite tests
//    the packaged artifact (a file missing from the package fails here);
//  - paths are vscode-remote://<host:port>/abs/path URIs, i.e. files on the server;
//  - when run() settles the workbench calls window.codeAutomationExit(code), exposed below.
// usage: node ext-host.mjs <baseUrl> <extensionDir> <testsEntry.js> <workspaceDir> <outDir>
import { launchBrowser, logLine, workbenchUrl } from './browser.mjs';

const [base, extDir, testsEntry, folder, outDir = '.'] = process.argv.slice(2);
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 600_000);
const remote = (p) => `vscode-remote://${new URL(base).host}${p}`;
const payload = [['extensionDevelopmentPath', remote(extDir)], ['extensionTestsPath', remote(testsEntry)]];
const url = workbenchUrl(base, folder, `&payload=${encodeURIComponent(JSON.stringify(payload))}`);

const browser = await launchBrowser();
let code = 1;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let onExit;
  const exited = new Promise((resolve) => (onExit = resolve));
  await page.exposeFunction('codeAutomationExit', (c) => onExit(c));
  await page.exposeFunction('codeAutomationLog', logLine); // workbench + extension-host console
  page.on('pageerror', (e) => console.log('  [pageerror]', e.message));
  await page.goto(url);
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (code !== 0) await page.screenshot({ path: `${outDir}/ext-host-failure.png` });
} finally {
  await browser.close();
}
console.log(`ext-host tests: exit code ${code}`);
process.exit(code === 0 ? 0 : 1);

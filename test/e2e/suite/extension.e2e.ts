// Extension-host end-to-end tests: the PanelSpec extension as installed from the .vsix, inside a
// real VS Code (code-server 1.139), with the language server it spawns and the sample data.
// The workspace is a fresh copy of samples/ (city_clusters.pspec + city_panel.csv).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, before } from 'mocha';
import {
  EXT_ID, LANGUAGE_ID, waitFor, workspaceRoot, openScratch, csvVariables, completionLabel, hoverText, showsNumber,
} from './util';

const SAMPLE_SPEC = 'city_clusters.pspec';
const SAMPLE_DATA = 'city_panel.csv';

interface Coef { term: string; estimate: number; se: number }
interface Estimation { kind: 'estimation'; line: number; command: string; coefficients: Coef[] }
interface SummaryRow { var: string; n: number; mean: number; sd: number; min: number; max: number }
/** The parts of `panelspec run --json` results the lazy test reads. */
type RunResult = { kind: string; lazy?: boolean; rows?: SummaryRow[]; nobs?: number; r2?: number };

/** The few calls of @duckdb/node-api this suite makes (typed here: the suite does not import it). */
interface DuckApi {
  DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckConnection> }> };
}
interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjects(): Record<string, unknown>[] }>;
  closeSync?(): void;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(ext, `extension ${EXT_ID} is not installed`);
  return ext;
}

/** Runs the extension's own bundled CLI on the spec, as `panelspec run FILE --json OUT` would. */
function cliResults(specPath: string): Promise<{ results: { kind: string }[] }> {
  const cli = join(extension().extensionPath, 'dist', 'cli.js');
  const out = join(mkdtempSync(join(tmpdir(), 'pspec-')), 'results.json');
  return new Promise((resolve, reject) => {
    // the extension host runs on Node: process.execPath is a node binary
    execFile(process.execPath, [cli, 'run', specPath, '--json', out], { timeout: 170_000 }, (err, _so, stderr) => {
      // exit 2 = a run-time error after some results; the JSON is still written
      try {
        resolve(JSON.parse(readFileSync(out, 'utf8')));
      } catch {
        reject(new Error(`panelspec run ${specPath} wrote no JSON (exit ${err?.code ?? 0}): ${stderr.slice(0, 400)}`));
      }
    });
  });
}

function webviewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && /panelspec/i.test(t.input.viewType));
}

describe('PanelSpec in a real VS Code', () => {
  let root: vscode.Uri;
  let variables: string[];

  before(async () => {
    root = workspaceRoot();
    variables = csvVariables(join(root.fsPath, SAMPLE_DATA));
    assert.ok(variables.length >= 3, `the sample data ${SAMPLE_DATA} should have a header with variables`);
  });

  it('activates on a .pspec file, which gets the panelspec language', async () => {
    const ext = extension();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, SAMPLE_SPEC));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, LANGUAGE_ID);
    await waitFor('the extension to activate', () => ext.isActive, 30_000);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['panelspec.runFile', 'panelspec.runLine', 'panelspec.showResults']) {
      assert.ok(commands.includes(c), `command ${c} is registered`);
    }
  });

  it('completes the sample dataset\'s variables after `did `', async () => {
    const editor = await openScratch('e2e_completion.pspec', `use "${SAMPLE_DATA}"\ndid `);
    const pos = new vscode.Position(1, 4);
    let labels: string[] = [];
    await waitFor(
      'completion items with the dataset variables',
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider', editor.document.uri, pos);
        // leave out VS Code's own word-based guesses (kind Text): they echo words of open files
        labels = list.items.filter((i) => i.kind !== vscode.CompletionItemKind.Text).map(completionLabel);
        return variables.every((v) => labels.includes(v));
      },
      45_000,
      () => `${labels.length} items: ${labels.slice(0, 30).join(' ')}; missing: ${variables.filter((v) => !labels.includes(v)).join(' ')}`,
    );
  });

  it('reports a misspelt variable with a diagnostic on exactly its range', async () => {
    const [depvar, regressor] = [variables[variables.length - 1], variables[variables.length - 2]];
    // a transposition of the last two letters: a typo that is not itself a variable
    let typo = regressor.slice(0, -2) + regressor.slice(-1) + regressor.slice(-2, -1);
    if (typo === regressor || variables.includes(typo)) typo = `${regressor}zq`;
    const line = `reg ${depvar} ${typo}`;
    const editor = await openScratch('e2e_diagnostic.pspec', `use "${SAMPLE_DATA}"\n${line}\n`);
    const uri = editor.document.uri;
    const start = line.indexOf(` ${typo}`) + 1;
    const want = new vscode.Range(1, start, 1, start + typo.length);
    const diag = await waitFor(
      `a diagnostic on ${typo} at 2:${start + 1}`,
      () => vscode.languages.getDiagnostics(uri).find((d) => d.range.isEqual(want)),
      45_000,
      () => JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.message])),
    );
    assert.ok(diag.severity <= vscode.DiagnosticSeverity.Warning, 'an error or a warning');
    assert.match(diag.message, new RegExp(typo), 'the message names the misspelt variable');

    // fixing the typo clears it
    await editor.edit((e) => e.replace(want, regressor));
    await waitFor('the diagnostic to clear after the fix', () =>
      !vscode.languages.getDiagnostics(uri).some((d) => d.range.start.line === 1), 30_000);
  });

  describe('after Run File', () => {
    let first: Estimation;
    let specDoc: vscode.TextDocument;

    before(async function () {
      this.timeout(180_000);
      const specPath = join(root.fsPath, SAMPLE_SPEC);
      const json = await cliResults(specPath);
      const est = json.results.find((r): r is Estimation => r.kind === 'estimation');
      assert.ok(est, `${SAMPLE_SPEC} has at least one estimation result`);
      first = est;
    });

    it('Run File opens the results panel', async function () {
      this.timeout(240_000);
      specDoc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, SAMPLE_SPEC));
      await vscode.window.showTextDocument(specDoc);
      await vscode.commands.executeCommand('workbench.action.closeEditorsInOtherGroups');
      assert.equal(webviewTabs().length, 0, 'no results panel before the run');
      // resolves when the server has answered the run (results are in the server's store then)
      await vscode.commands.executeCommand('panelspec.runFile');
      // the panel is titled after the spec once it shows that run's results
      await waitFor(`a PanelSpec webview tab titled after ${SAMPLE_SPEC}`, () => webviewTabs().find((t) => t.label.includes(SAMPLE_SPEC)), 30_000,
        () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', '));
    });

    it('hover on a coefficient shows its estimate and standard error', async function () {
      this.timeout(120_000);
      const lineText = specDoc.lineAt(first.line - 1).text;
      // the first coefficient whose name is written on the command's line (not via a $macro)
      const coef = first.coefficients.find((c) => new RegExp(`\\b${c.term}\\b`).test(lineText));
      assert.ok(coef, `a coefficient of line ${first.line} (${lineText}) is written on that line`);
      const col = lineText.search(new RegExp(`\\b${coef.term}\\b`)) + 1;
      const pos = new vscode.Position(first.line - 1, col);
      let text = '';
      await waitFor(
        `a hover with ${coef.term}'s estimate ${coef.estimate} and SE ${coef.se}`,
        async () => {
          const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', specDoc.uri, pos);
          text = hoverText(hovers);
          return showsNumber(text, coef.estimate) && showsNumber(text, coef.se);
        },
        60_000,
        () => JSON.stringify(text.slice(0, 600)),
      );
    });

    it('a settings change takes effect: panelspec.inlayHints.enabled shows the estimate inline', async function () {
      this.timeout(120_000);
      const cfg = () => vscode.workspace.getConfiguration('panelspec');
      const c = first.coefficients[0];
      // the statement may continue over `///` lines: look a few lines down
      const from = first.line - 1;
      const range = new vscode.Range(from, 0, Math.min(from + 6, specDoc.lineCount - 1), 0);
      const hints = async () =>
        (await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', specDoc.uri, range))
          .map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      const modelHint = (labels: string[]) => labels.find((l) => l.startsWith(`${c.term} `) && /N=\d+/.test(l));
      assert.equal(cfg().get('inlayHints.enabled'), false, 'inlay hints are off by default');
      assert.equal(modelHint(await hints()), undefined, 'no estimate hint while the setting is off');
      await cfg().update('inlayHints.enabled', true, vscode.ConfigurationTarget.Global);
      try {
        let seen: string[] = [];
        const hint = await waitFor('an inlay hint with the first coefficient', async () => modelHint((seen = await hints())), 30_000,
          () => JSON.stringify(seen));
        assert.ok(showsNumber(hint, c.estimate), `the hint ${hint} shows ${c.term}'s estimate ${c.estimate}`);
      } finally {
        await cfg().update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global);
      }
      await waitFor('the hint to go when the setting is off again', async () => modelHint(await hints()) === undefined, 30_000);
    });
  });

  it('the DuckDB binding the .vsix ships loads here and reads Parquet', async function () {
    this.timeout(120_000);
    // resolved as dist/cli.js resolves it: from the installed extension's own node_modules
    const extPath = extension().extensionPath;
    const req = createRequire(join(extPath, 'dist', 'cli.js'));
    const apiPath = req.resolve('@duckdb/node-api');
    assert.ok(apiPath.startsWith(join(extPath, 'node_modules')), `@duckdb/node-api resolves inside the extension (${apiPath})`);
    const duck = req('@duckdb/node-api') as DuckApi;
    const db = await duck.DuckDBInstance.create(':memory:');
    const con = await db.connect();
    const file = join(mkdtempSync(join(tmpdir(), 'pspec-duck-')), 'panel.parquet');
    // 50 units x 4 periods, written and read back through the packaged binding
    await con.run(`COPY (SELECT u AS unit, t AS year, CAST(u * 10 + t AS DOUBLE) AS y
      FROM range(50) r1(u), range(4) r2(t)) TO '${file}' (FORMAT parquet)`);
    const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjects().map((r) => String(r.column_name));
    assert.deepEqual(cols, ['unit', 'year', 'y']);
    const row = (await con.runAndReadAll(`SELECT count(*) AS n, sum(y) AS s FROM read_parquet('${file}')`)).getRowObjects()[0];
    // sum over u<50, t<4 of 10u + t = 10*4*1225 + 50*6
    assert.equal(Number(row.n), 200);
    assert.equal(Number(row.s), 10 * 4 * 1225 + 50 * 6);
    con.closeSync?.();
  });

  it('a lazy Parquet spec (DuckDB) through the packaged CLI equals the in-memory run to 1e-8', async function () {
    this.timeout(240_000);
    // lazy.pspec and memory.pspec differ only in `use ..., lazy` (test/e2e/harness/lazy-fixture.mjs)
    const run = async (spec: string) => (await cliResults(join(root.fsPath, spec))).results as RunResult[];
    const [lazy, memory] = [await run('lazy.pspec'), await run('memory.pspec')];
    assert.equal(lazy.find((r) => r.kind === 'data')?.lazy, true, 'lazy.pspec opened the file in DuckDB');
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    // summarize after the SQL data steps (gen with ln, keep if)
    const sumOf = (rs: RunResult[]) => rs.find((r) => r.kind === 'summary')?.rows ?? [];
    const [ls, ms] = [sumOf(lazy), sumOf(memory)];
    assert.deepEqual(ls.map((r) => r.var), ['y', 'x1', 'lx2'], `the lazy run's summary: ${JSON.stringify(lazy).slice(0, 400)}`);
    ls.forEach((r, i) => {
      assert.equal(r.n, ms[i].n, `${r.var}: N`);
      for (const k of ['mean', 'sd', 'min', 'max'] as const) assert.ok(rel(r[k], ms[i][k]) < 1e-8, `${r.var} ${k}: lazy ${r[k]}, in memory ${ms[i][k]}`);
    });
    // reghdfe ..., absorb(unit year) vce(cluster unit): the SQL estimator against the in-memory engine
    const est = (rs: RunResult[]) => rs.find((r): r is RunResult & Estimation => r.kind === 'estimation');
    const [le, me] = [est(lazy), est(memory)];
    assert.ok(le && me, `both runs estimate the model: ${JSON.stringify(lazy).slice(0, 400)}`);
    assert.equal(le.nobs, me.nobs, 'N');
    assert.deepEqual(le.coefficients.map((c) => c.term), me.coefficients.map((c) => c.term));
    le.coefficients.forEach((c, i) => {
      const m = me.coefficients[i];
      assert.ok(rel(c.estimate, m.estimate) < 1e-8, `${c.term}: lazy ${c.estimate}, in memory ${m.estimate}`);
      assert.ok(rel(c.se, m.se) < 1e-8, `${c.term} SE: lazy ${c.se}, in memory ${m.se}`);
    });
    assert.ok(rel(le.r2!, me.r2!) < 1e-8, `R2: lazy ${le.r2}, in memory ${me.r2}`);
  });

  // its own describe, so it runs after the Run File tests (mocha runs a suite's own tests before its
  // child suites): the Run File test expects no PanelSpec webview before its run
  describe('the data viewer', () => {
    it('Open Data Viewer opens a "Data: <spec>" panel', async function () {
      this.timeout(120_000);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(root, SAMPLE_SPEC));
      const editor = await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
      // the viewer shows the data as the statements up to the cursor leave them: put it on `use`
      const useLine = [...Array(doc.lineCount).keys()].find((i) => /^\s*use\s/.test(doc.lineAt(i).text));
      assert.ok(useLine !== undefined, `${SAMPLE_SPEC} has a use statement`);
      editor.selection = new vscode.Selection(useLine, 0, useLine, 0);
      const title = `Data: ${SAMPLE_SPEC}`;
      const dataTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
        .filter((t) => t.input instanceof vscode.TabInputWebview && /panelspec\.data/i.test(t.input.viewType) && t.label === title);
      assert.equal(dataTabs().length, 0, 'no data viewer before the command');
      await vscode.commands.executeCommand('panelspec.openDataViewer');
      const tab = await waitFor(`a webview tab titled "${title}"`, () => dataTabs()[0], 30_000,
        () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} [${t.input instanceof vscode.TabInputWebview ? t.input.viewType : '-'}]`).join(', '));
      assert.ok(tab.isActive, 'the viewer is the active tab of its group');
      await vscode.window.tabGroups.close(tab);
    });
  });
});

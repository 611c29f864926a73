// Drives the real VS Code UI (code-server in Debian's chromium) like a user: opens the sample spec,
// accepts a completion, sees the squiggle under a misspelt variable, clicks the "▶ Run" lens, reads
// the regression table inside the results webview and compares it with the CLI's JSON for the same
// spec, draws the event-study plot, hovers a coefficient, switches to the dark theme and reads the
// table again. Screenshots go to <outDir>; a summary to <outDir>/ui-summary.json.
// Last, the lazy Parquet spec (lazy-fixture.mjs): its Run lens shows the in-memory run's numbers.
// usage: node ui.mjs <baseUrl> <workspaceDir> <outDir> <cli-results.json> [<lazy-memory.json>]
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { checkRunner } from './checks.mjs';
import { showsNumber } from './numbers.mjs';

const [base, folder, outDir = '.', cliJsonPath, lazyJsonPath] = process.argv.slice(2);
const SPEC = 'city_clusters.pspec';
const DATA = 'city_panel.csv';
const shot = (page, name) => page.screenshot({ path: join(outDir, `${name}.png`) });

// ---- what the page must show, from the files and the CLI (never hard-coded numbers) ----------
const readOrDie = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    console.error(`ui test: error: cannot read ${path}: ${e.message}`);
    writeFileSync(join(outDir, 'ui-summary.json'), JSON.stringify({ passed: 0, failed: 1, tests: [{ title: 'fixture', state: 'failed', error: `cannot read ${path}` }] }));
    process.exit(1);
  }
};
const specText = readOrDie(join(folder, SPEC));
// scratch specs the checks below open and run (written before the browser starts)
const SCRATCH = 'scratch.pspec';
writeFileSync(join(folder, SCRATCH), '');
const FILES_SPEC = 'files.pspec';
writeFileSync(join(folder, FILES_SPEC), [
  'use "city_panel.csv"',
  'xtset city_id year',
  'log using "e2e-run.log", replace',
  'summarize gdp_pc',
  'eventstudy gdp_pc lndensity, treat(approval_year) window(-3 3) ref(-1) fe(city_id year) cluster(city_id)',
  'graph export "e2e-event.png", width(1200) height(800) replace',
  'log close',
  '',
].join('\n'));
const LONG_SPEC = 'long.pspec';
writeFileSync(join(folder, LONG_SPEC), 'use "city_panel.csv"\nxtset city_id year\nplacebo reps(100000) units(147) seed(7): did gdp_pc integration, fe(city_id year)\n');
// the history checks: one model run twice, the second time with another absorb() (the option edited in
// the editor); the CLI runs both texts for the numbers the comparison must show
const HIST_SPEC = 'hist.pspec';
const histText = (absorb) => `use "city_panel.csv"\nxtset city_id year\neststo m1: reghdfe lninvest lndensity lnopen, cluster(city_id) absorb(${absorb})\n`;
writeFileSync(join(folder, HIST_SPEC), histText('city_id year'));
/** The CLI's JSON for a spec text, run in the CLI's copy of the samples (E2E_NODE, E2E_CLI_JS, E2E_CLI_DIR from run-e2e.sh). */
function cliModel(text, name) {
  const { E2E_NODE, E2E_CLI_JS, E2E_CLI_DIR } = process.env;
  assert.ok(E2E_NODE && E2E_CLI_JS && E2E_CLI_DIR, 'run-e2e.sh passes E2E_NODE, E2E_CLI_JS and E2E_CLI_DIR');
  const spec = join(E2E_CLI_DIR, `${name}.pspec`);
  const out = join(E2E_CLI_DIR, `${name}.json`);
  writeFileSync(spec, text);
  const r = spawnSync(E2E_NODE, [E2E_CLI_JS, 'run', spec, '--json', out], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `panelspec run ${name}.pspec: ${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')).results.find((x) => x.kind === 'estimation' && x.name === 'm1');
}
const specLines = specText.split(/\r?\n/);
const dataLines = readOrDie(join(folder, DATA)).split(/\r?\n/);
const header = dataLines[0].replace(/^\uFEFF/, '');
const variables = header.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1')).filter((h) => /^[A-Za-z_]\w*$/.test(h));
const cli = cliJsonPath && existsSync(cliJsonPath) ? JSON.parse(readOrDie(cliJsonPath)) : undefined;
const estimations = (cli?.results ?? []).filter((r) => r.kind === 'estimation');
const firstModel = estimations[0];
const eventModel = estimations.find((r) => Array.isArray(r.event_time) && r.event_time.length);
const coefplotResult = (cli?.results ?? []).find((r) => r.plot === 'coefplot' && Array.isArray(r.series) && r.series.length > 1);
// the first coefficient of the first model whose name is written on its line (hover needs it there)
const wordOn = (line, w) => new RegExp(`(^|[^A-Za-z0-9_.])${w}($|[^A-Za-z0-9_])`).test(line);
const firstCoef = firstModel?.coefficients.find((c) => wordOn(specLines[firstModel.line - 1] ?? '', c.term)) ?? firstModel?.coefficients[0];
// the row label the table uses for a term: its variable label if the spec gives one
const labelOf = (term) => {
  const m = specText.match(new RegExp(`^\\s*la(?:bel)?\\s+var(?:iable)?\\s+${term}\\s+"([^"]*)"`, 'm'));
  return m ? m[1] : term;
};

// what the UI checks type: a regressor of the first model to complete (the treatment, in the
// sample), and a misspelling of another regressor the spec uses
const inData = (x) => x && variables.includes(x);
const terms = estimations.flatMap((r) => r.coefficients.map((c) => c.term)).filter(inData);
const v = (inData(firstCoef?.term) ? firstCoef.term : terms[0]) ?? variables.find((x) => x.length >= 5);
const dep = inData(firstModel?.depvar) ? firstModel.depvar : variables.find((x) => x !== v && x.length >= 5);
const reg = terms.find((t) => t !== v && t.length >= 4) ?? variables.find((x) => x.length >= 5 && x !== v && x !== dep);
const typo = reg.slice(0, -2) + reg.slice(-1) + reg.slice(-2, -1);

// the data viewer on the `use` line shows the CSV as loaded: its rows, and the first row's first cell
const csvRows = dataLines.slice(1).filter((l) => l.trim() !== '').length;
const firstVar = variables[0];
const firstCell = dataLines[1]?.split(',')[header.split(',').findIndex((h) => h.trim().replace(/^"(.*)"$/, '$1') === firstVar)]?.trim();
const useLine = specLines.findIndex((l) => /^\s*use\s/.test(l)) + 1;

// ---- checks: counted, timed; a check whose prerequisite failed fails too ----------------------
const { check, passed, summary: checkSummary } = checkRunner((n) => shot(page, `ui-failure-${n}`));

// ---- helpers on the workbench -------------------------------------------------------------------
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.setDefaultTimeout(30_000);
const editor = page.locator('.editor-instance .monaco-editor').first();
const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

async function palette(command) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * A screenshot in a wider window, so that the results panel beside the editor shows a wide table
 * whole (the full coefficient table, the history list); the window size is restored after.
 */
async function wideShot(name) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 2200, height: size.height });
  await page.waitForTimeout(800); // the workbench and the webview re-lay themselves out
  try {
    await shot(page, name);
  } finally {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
  }
}

/** Focuses the editor (a click near its top-left; the text area may be scrolled away). */
const focusEditor = () => editor.click({ position: { x: 300, y: 20 } });

/** Puts the cursor on a 1-based line with Go to Line (Ctrl+G), which scrolls it into view. */
async function gotoLine(line) {
  await focusEditor();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300); // the reveal scrolls smoothly
}

/**
 * Screen boxes of the rendered editor line whose text contains `lineText` (whitespace collapsed),
 * and of `word` on it (null if not given or absent).
 */
async function findOnScreen(lineText, word) {
  // the editor renders typed text on its next frames: look again for a few seconds
  let found = null;
  for (const deadline = Date.now() + 5000; ; await page.waitForTimeout(100)) {
    found = await lineOnScreen(lineText, word);
    if ((found && (!word || found.word)) || Date.now() > deadline) break;
  }
  assert.ok(found, `the editor shows a line with "${lineText}"`);
  if (word) assert.ok(found.word, `"${word}" is on the line "${lineText}"`);
  return found;
}

function lineOnScreen(lineText, word) {
  return page.evaluate(({ lineText, word }) => {
    const norm = (t) => t.replace(/[\s\u00a0]+/g, ' ').trim();
    for (const line of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let text = '';
      const nodes = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push({ n, at: text.length }), (text += n.textContent);
      const plain = text.replace(/\u00a0/g, ' ');
      if (!norm(plain).includes(norm(lineText))) continue;
      const lineBox = line.getBoundingClientRect().toJSON();
      if (!word) return { line: lineBox, word: null };
      const m = new RegExp(`(^|[^A-Za-z0-9_.])(${word})($|[^A-Za-z0-9_])`).exec(plain);
      if (!m) return { line: lineBox, word: null };
      const start = m.index + m[1].length;
      // the text node and offset of a character offset in the line (an end may sit at a node's end)
      const locate = (off, isEnd) => {
        for (const x of nodes) {
          const len = x.n.textContent.length;
          if (off < x.at + len || (isEnd && off === x.at + len)) return [x.n, off - x.at];
        }
        return null;
      };
      const range = document.createRange();
      range.setStart(...locate(start, false));
      range.setEnd(...locate(start + word.length, true));
      return { line: lineBox, word: range.getBoundingClientRect().toJSON() };
    }
    return null;
  }, { lineText, word });
}

/** Clicks the "▶ Run" CodeLens of the statement on a 1-based line (of the sample spec unless `text` is given). */
async function clickRunLens(line, text = specLines[line - 1]) {
  await gotoLine(line);
  const lenses = page.locator('.editor-instance .codelens-decoration a', { hasText: /^\s*▶ Run\s*$/ });
  // (the editor keeps lenses of lines scrolled away hidden in the DOM: wait for a shown one)
  await page.waitForFunction(() => [...document.querySelectorAll('.editor-instance .codelens-decoration a')].some((e) => e.getBoundingClientRect().height > 0));
  // the lens of a line sits right above it: the closest lens whose box ends above the line's top.
  // Lenses are drawn again after every run (and late on a busy machine): look again for a while.
  let best = -1;
  for (const deadline = Date.now() + 20_000; ; await page.waitForTimeout(250)) {
    const { line: box } = await findOnScreen(text); // (again: the editor may still be scrolling)
    const boxes = await lenses.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    best = -1;
    boxes.forEach((b, i) => {
      if (b.height > 0 && b.bottom <= box.top + 2 && (best < 0 || b.bottom > boxes[best].bottom)) best = i;
    });
    if (best >= 0 && box.top - boxes[best].bottom < 30) break;
    assert.ok(Date.now() < deadline, `a "▶ Run" lens right above line ${line}`);
  }
  await lenses.nth(best).click();
}

/** The webview's section for the result of the statement on a 1-based line, having `inner`. */
function resultSection(line, inner) {
  const wv = webview();
  return wv.locator('section.ps-item')
    .filter({ has: wv.locator('h2', { hasText: new RegExp(`\\bline ${line}$`) }) })
    .filter({ has: wv.locator(inner) })
    .first();
}

/** Clicks the Run lens of a 1-based line and returns its figure in the results panel, in view. */
async function runFigure(line, svgSelector) {
  await clickRunLens(line);
  const section = resultSection(line, svgSelector);
  await section.waitFor({ timeout: 300_000 }); // the run may take a while (placebo draws, ...)
  const figure = section.locator('.ps-figure').first();
  await figure.scrollIntoViewIfNeeded();
  return figure;
}

/** Text of the first table cell of `term` (and its SE row) in the webview's result for `model`. */
async function tableCells(model, term) {
  const section = resultSection(model.line, 'table.ps-table');
  await section.waitFor({ timeout: 300_000 }); // the run may take a while (placebo draws, ...)
  const label = labelOf(term);
  // a model's own table is the full coefficient table (coefficient, SE, t, p, interval on one row, as
  // reghdfe prints it); esttab's layout puts the SE on the row below
  const rows = section.locator('table.ps-table tr.ps-coef, table.ps-table tr.ps-data');
  const labels = await rows.locator('th').allInnerTexts();
  const i = labels.findIndex((l) => l.trim() === label || l.trim() === term);
  assert.ok(i >= 0, `a row for ${term} (${label}) in the table; rows: ${labels.join(', ')}`);
  const cells = rows.nth(i).locator('td');
  const estimate = (await cells.first().innerText()).trim();
  const se = (await cells.count()) > 1 ? (await cells.nth(1).innerText()).trim() : (await rows.nth(i).locator('xpath=following-sibling::tr[1]').locator('td').first().innerText()).trim();
  return { estimate, se };
}

// ---- the checks -------------------------------------------------------------------------------
const OPEN = 'the sample spec opens in the PanelSpec language';
const COMPLETE = 'completion offers a dataset variable and accepting it inserts it';
const SQUIGGLE = 'a misspelt variable gets a squiggle under exactly that word';
const TABLE = 'the Run lens fills the results table with the CLI\'s coefficient (light theme)';
const PLOT = 'the event-study plot shows one point per event time';
const HOVER = 'hovering a coefficient shows its estimate and SE';
const COEFPLOT = 'the coefplot lens draws one legend entry per model, in the theme';
const DARK = 'in the dark theme the table reads the same';
const DATAVIEW = 'Open Data Viewer shows the dataset\'s row count and first row';
const NEWFILE = 'typing use " in a new spec raises no error notification';
const SHIFT = 'after a line is inserted above the model, its hover still shows its own result';
const STOPPED = 'a run that stops part-way marks the earlier results and says the line it stopped at';
const FILES = 'a run writes the log file and a PNG at the requested size';
const COPY = 'Copy for Excel puts the table on the clipboard as tab-separated cells';
const STOP = 'the Stop button stops a long run';
const HELP = 'Help on Command opens the command\'s page';
const HISTORY = 'a model run twice with another option: the history compares both runs (coefficients, SEs, differences)';
const PANELS = 'two specs get two results panels; Show Results shows the active spec\'s';
const TWFE_NOTE = 'the baseline did line carries the staggered-adoption note (TWFE negative weights)';
const LAZY = 'the Run lens of a lazy Parquet spec (DuckDB) shows the in-memory run\'s coefficient and SE';

try {
  await check(OPEN, [], async () => {
    assert.ok(firstModel, `the CLI produced results for ${SPEC} (see cli-run.log)`);
    await page.goto(workbenchUrl(base, folder));
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: SPEC }).click();
    await editor.waitFor();
    await page.locator('#status\\.editor\\.mode', { hasText: 'PanelSpec' }).waitFor();
  });

  await check(COMPLETE, [OPEN], async () => {
    const prefix = v.slice(0, 3);
    await focusEditor();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`did ${prefix}`);
    const rows = page.locator('.suggest-widget.visible .monaco-list-row');
    const row = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${v}$`) }) }).first();
    // as a user would: ask (Ctrl+Space) and ask again while the server is still loading the data
    const deadline = Date.now() + 30_000;
    for (;;) {
      await page.keyboard.press('Control+Space');
      if (await row.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
      const seen = await page.locator('.suggest-widget').innerText().catch(() => '');
      assert.ok(Date.now() < deadline, `a suggestion ${v} after "did ${prefix}"; the widget shows: ${seen.slice(0, 200)}`);
      await page.keyboard.press('Escape');
    }
    await page.waitForTimeout(300); // the details pane settles
    await shot(page, 'completion');
    // accept it as a user would: Enter when it is the focused suggestion, else a click (the widget
    // re-lays itself out while its details pane opens, so a click can wait on a moving target)
    if (/\bfocused\b/.test((await row.getAttribute('class')) ?? '')) await page.keyboard.press('Enter');
    else await row.click({ timeout: 10_000 });
    await page.keyboard.press('Escape');
    await findOnScreen(`did ${v}`); // the accepted name is in the text
  });

  await check(SQUIGGLE, [OPEN], async () => {
    assert.ok(!variables.includes(typo), 'the typo is not a real variable');
    await focusEditor();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(`reg ${dep} ${typo}`);
    await page.keyboard.press('Escape'); // close the suggestions
    const { word } = await findOnScreen(`reg ${dep} ${typo}`, typo);
    // poll: the server checks the text after a short delay
    let boxes = [];
    const deadline = Date.now() + 45_000;
    const under = (b) => Math.abs(b.x - word.x) < 3 && Math.abs(b.width - word.width) < 4 && Math.abs(b.y - word.y) < word.height * 1.5;
    while (!boxes.some(under)) {
      assert.ok(Date.now() < deadline, `a squiggle under "${typo}" at x=${word.x.toFixed(0)} w=${word.width.toFixed(0)}; squiggles: ${JSON.stringify(boxes.map((b) => [b.x, b.y, b.width].map(Math.round)))}`);
      await page.waitForTimeout(250);
      boxes = await editor.locator('.squiggly-error, .squiggly-warning').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    }
    // the diagnostic's hover, from the keyboard (the cursor is at the end of the typo)
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover', { hasText: typo }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(400); // the hover fades in
    await shot(page, 'diagnostic');
    await page.keyboard.press('Escape');
  });

  // back to the file as the CLI ran it
  if (passed(OPEN)) {
    await palette('File: Revert File').catch(() => {});
    await page.waitForTimeout(500);
  }

  await check(TWFE_NOTE, [OPEN], async () => {
    const line = specLines.findIndex((l) => /^eststo b1: did /.test(l)) + 1;
    assert.ok(line > 0, `${SPEC} has the baseline line eststo b1: did ...`);
    await gotoLine(line);
    // inside the did command (its note's range), then the hover at the cursor, as a keyboard user would;
    // again until the server has computed the note on the data at that line (in the background)
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    const note = page.locator('.monaco-hover', { hasText: 'Staggered adoption' }).first();
    const deadline = Date.now() + 90_000;
    for (;;) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      if (await note.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
      assert.ok(Date.now() < deadline, `a hover with the staggered-adoption note on line ${line}`);
      await page.keyboard.press('Escape');
    }
    const text = await note.innerText();
    assert.match(text, /4 cohorts \(2015-2018\)/, text.slice(0, 300));
    await page.waitForTimeout(400); // the hover fades in
    await shot(page, 'twfe-note');
    await page.keyboard.press('Escape');
  });

  let lightCells;
  await check(TABLE, [OPEN], async () => {
    // the run must see the file as the CLI did: the typed lines reverted, the editor not dirty
    assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 0, 'the typed lines were reverted');
    await clickRunLens(firstModel.line);
    lightCells = await tableCells(firstModel, firstCoef.term);
    assert.ok(showsNumber(lightCells.estimate, firstCoef.estimate),
      `table shows ${lightCells.estimate} for ${firstCoef.term}; the CLI says ${firstCoef.estimate}`);
    assert.ok(showsNumber(lightCells.se, firstCoef.se), `table shows SE ${lightCells.se}; the CLI says ${firstCoef.se}`);
    // the full coefficient table (estimate, SE, t, p, interval) is wider than the side panel
    await wideShot('results-light');
  });

  await check(PLOT, [OPEN], async () => {
    assert.ok(eventModel, `${SPEC} has an eventstudy whose CLI result has event_time`);
    const figure = await runFigure(eventModel.line, '.ps-figure svg');
    const points = await figure.locator('.ps-point').count();
    assert.equal(points, eventModel.event_time.length, 'one point per event time (the reference period included)');
    // the SVG's tooltips carry the estimates: the first event time's must match the CLI
    const titles = await figure.locator('.ps-point title').allTextContents();
    const k0 = eventModel.event_time.find((e) => e.se > 0);
    assert.ok(titles.some((t) => showsNumber(t, k0.estimate)), `a point's tooltip shows k=${k0.k}'s estimate ${k0.estimate}: ${titles[0]}`);
    await figure.screenshot({ path: join(outDir, 'eventstudy.png') });
    await shot(page, 'eventstudy-panel');
  });

  await check(COEFPLOT, [OPEN], async () => {
    assert.ok(coefplotResult, `${SPEC} has a coefplot whose CLI result has series`);
    const figure = await runFigure(coefplotResult.line, '.ps-figure svg.ps-coefplot');
    const legend = (await figure.locator('.ps-legend-label').allTextContents()).map((t) => t.trim());
    assert.deepEqual(legend, coefplotResult.series.map((x) => x.model), 'one legend entry per model, as the CLI has them');
    await figure.screenshot({ path: join(outDir, 'coefplot.png') });
  });

  await check(HOVER, [TABLE], async () => {
    await gotoLine(firstModel.line);
    const { word: w } = await findOnScreen(specLines[firstModel.line - 1], firstCoef.term);
    await page.mouse.move(w.x + w.width / 2, w.y + w.height / 2);
    const hover = page.locator('.monaco-hover', { hasText: firstCoef.term }).filter({ hasText: 'SE' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = await hover.innerText();
    assert.ok(showsNumber(text, firstCoef.estimate), `hover shows the estimate ${firstCoef.estimate}: ${text.slice(0, 200)}`);
    assert.ok(showsNumber(text, firstCoef.se), `hover shows the SE ${firstCoef.se}: ${text.slice(0, 200)}`);
    await page.waitForTimeout(400); // the hover fades in
    await shot(page, 'hover');
    await page.mouse.move(5, 5);
  });

  await check(DARK, [TABLE], async () => {
    assert.match((await webview().locator('body').getAttribute('class')) ?? '', /vscode-light/);
    // Preferences: Color Theme (Ctrl+K Ctrl+T), then pick the built-in dark theme
    await focusEditor();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Dark Modern/ }).first().waitFor();
    await page.keyboard.press('Enter');
    await webview().locator('body.vscode-dark').waitFor();
    const dark = await tableCells(firstModel, firstCoef.term);
    assert.deepEqual(dark, lightCells, 'the same numbers in both themes');
    // the table's text is light on dark now
    const [fg, bg] = await webview().locator('body').evaluate((b) => [getComputedStyle(b).color, getComputedStyle(b).backgroundColor]);
    const lum = (c) => { const [r, g, b2] = c.match(/\d+/g).map(Number); return 0.299 * r + 0.587 * g + 0.114 * b2; };
    assert.ok(lum(fg) > lum(bg), `light text on a dark page (${fg} on ${bg})`);
    await webview().locator('table.ps-table').first().scrollIntoViewIfNeeded();
    await shot(page, 'results-dark');
  });
  await check(DATAVIEW, [OPEN], async () => {
    assert.ok(useLine > 0 && firstCell !== undefined, `${SPEC} has a use line and ${DATA} a first row`);
    await gotoLine(useLine); // the viewer shows the data as the statements up to the cursor leave them
    await palette('PanelSpec: Open Data Viewer');
    await page.locator('.tab', { hasText: `Data: ${SPEC}` }).first().waitFor();
    // several webviews may exist (the results panel too): find the frame that has the data grid
    const deadline = Date.now() + 60_000;
    let seen = '';
    for (;;) {
      for (const f of page.frames()) {
        const got = await f.evaluate(() => {
          const info = document.getElementById('ps-info');
          const body = document.getElementById('ps-body');
          if (!info || !body) return null;
          const heads = [...document.querySelectorAll('#ps-names .cell')].map((th) => th.textContent);
          const row = body.querySelector('.row');
          return { info: info.textContent, heads, cells: row ? [...row.children].map((td) => td.textContent) : [] };
        }).catch(() => null);
        if (!got) continue;
        seen = JSON.stringify(got).slice(0, 300);
        const m = /([\d.,\s\u00a0\u202f']+)\s+rows/.exec(got.info);
        const col = got.heads.indexOf(firstVar);
        if (!m || col < 0 || !got.cells.length || got.cells[col] === '…') continue;
        assert.equal(Number(m[1].replace(/\D/g, '')), csvRows, `the viewer says ${got.info}; ${DATA} has ${csvRows} rows`);
        assert.equal(got.cells[0], '1', 'the first row is numbered 1');
        assert.equal(Number(got.cells[col]), Number(firstCell), `the first row's ${firstVar} is ${firstCell} as in ${DATA}`);
        await page.waitForTimeout(200); // the profile strip's bars
        await shot(page, 'data-viewer-dark'); // the theme is still the dark one of the check before
        return;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the data viewer's rows; last seen: ${seen || 'no data viewer frame'}`);
      await page.waitForTimeout(250);
    }
  });
  /** Opens a file of the workspace from the explorer and waits for its editor. */
  const openFile = async (name) => {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await page.locator('.tab.active', { hasText: name }).first().waitFor();
    await editor.waitFor();
  };
  const toasts = () => page.locator('.notifications-toasts .notification-toast').allInnerTexts();

  await check(NEWFILE, [OPEN], async () => {
    await openFile(SCRATCH);
    await focusEditor();
    await page.keyboard.type('use "');
    // the outline / breadcrumbs ask for document symbols while the user types: none may fail
    await page.waitForTimeout(3000);
    await page.keyboard.press('Escape');
    const errors = (await toasts()).filter((t) => /failed|falsy|error/i.test(t));
    assert.deepEqual(errors, [], 'no error notification');
    await palette('File: Revert File').catch(() => {});
  });

  /**
   * The results panel's frame once `selector` (with `hasText`) is visible in it. Several webviews may
   * be open (the data viewer, help), and a redraw replaces the frame: look it up again on each try.
   */
  async function inResults(selector, hasText, timeout = 30_000) {
    await palette('PanelSpec: Show Results').catch(() => {});
    for (const deadline = Date.now() + timeout; ; await page.waitForTimeout(250)) {
      for (const f of page.frames()) {
        const loc = f.locator(selector, hasText ? { hasText } : {}).first();
        if (await loc.isVisible().catch(() => false)) return loc;
      }
      if (Date.now() > deadline) throw new Error(`the results panel shows no ${selector}${hasText ? ` with "${hasText}"` : ''}`);
    }
  }

  await check(SHIFT, [HOVER], async () => {
    await openFile(SPEC);
    try {
      await gotoLine(firstModel.line);
      await page.keyboard.press('Home');
      await page.keyboard.type('* a note above the model\n');
      await page.keyboard.press('Escape');
      await page.waitForTimeout(600); // the server sees the edit
      await gotoLine(firstModel.line + 1);
      const { word: w } = await findOnScreen(specLines[firstModel.line - 1], firstCoef.term);
      await page.mouse.move(w.x + w.width / 2, w.y + w.height / 2);
      const hover = page.locator('.monaco-hover', { hasText: firstCoef.term }).filter({ hasText: 'SE' }).first();
      await hover.waitFor({ timeout: 20_000 });
      const text = await hover.innerText();
      assert.ok(showsNumber(text, firstCoef.estimate), `after the shift the hover shows ${firstCoef.estimate}: ${text.slice(0, 200)}`);
      assert.doesNotMatch(text, /Stale/);
      await page.mouse.move(5, 5);
      // the panel's heading follows the edit
      await inResults('section.ps-item h2', new RegExp(`\\bline ${firstModel.line + 1}$`), 15_000);
    } finally {
      await openFile(SPEC);
      await palette('File: Revert File').catch(() => {});
    }
  });

  await check(STOPPED, [TABLE], async () => {
    // a statement that passes the checker but fails when run (nothing to plot yet), right after xtset
    await openFile(SPEC);
    try {
      const at = specLines.findIndex((l) => /^\s*xtset\s/.test(l)) + 2; // 1-based line after xtset
      await gotoLine(at);
      await page.keyboard.press('Home');
      await page.keyboard.type('graph export "nothing.svg"\n');
      await page.keyboard.press('Escape');
      await palette('PanelSpec: Run File');
      const box = await inResults('.ps-error', 'nothing to plot yet', 120_000);
      assert.match(await box.innerText(), new RegExp(`The run stopped at line ${at}\\.`));
      // the model run before (the TABLE check) is still shown, marked as from an earlier run
      await inResults('section.ps-previous .ps-badge-previous', undefined, 10_000);
      await box.scrollIntoViewIfNeeded();
      await shot(page, 'results-stopped');
    } finally {
      await openFile(SPEC);
      await palette('File: Revert File').catch(() => {});
    }
  });

  await check(FILES, [OPEN], async () => {
    await openFile(FILES_SPEC);
    await palette('PanelSpec: Run File');
    await webview().locator('section.ps-kind-graph, section.ps-item', { hasText: 'e2e-event.png' }).first().waitFor({ timeout: 120_000 }).catch(() => {});
    const png = join(folder, 'e2e-event.png');
    const log = join(folder, 'e2e-run.log');
    for (const deadline = Date.now() + 60_000; !(existsSync(png) && existsSync(log) && /closed on/.test(readFileSync(log, 'utf8'))); await page.waitForTimeout(250))
      assert.ok(Date.now() < deadline, `the run wrote ${png} and ${log}`);
    const b = readFileSync(png);
    assert.equal(b.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([b.readUInt32BE(16), b.readUInt32BE(20)], [1200, 800], 'the PNG has the requested size');
    const text = readFileSync(log, 'utf8');
    assert.match(text, /opened on:/);
    assert.match(text, /gdp_pc/);
    assert.match(text, /wrote e2e-event\.png/);
  });

  await check(COPY, [TABLE], async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin }).catch(() => {});
    const button = await inResults('button[data-format="tsv"]');
    await button.click();
    let clip = '';
    for (const deadline = Date.now() + 10_000; !clip.includes('\t') && Date.now() < deadline; await page.waitForTimeout(250)) clip = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    const rows = clip.split('\n').map((l) => l.split('\t'));
    assert.ok(rows.length > 3 && rows.some((r) => r.length >= 2 && r.slice(1).some((c) => /\d\.\d{4}/.test(c))), `TSV rows with estimates: ${clip.slice(0, 200)}`);
  });

  await check(STOP, [OPEN], async () => {
    await openFile(LONG_SPEC);
    await palette('PanelSpec: Run File');
    const stop = await inResults('button.ps-stop', undefined, 60_000);
    await page.waitForTimeout(1500); // the draws are under way
    await stop.click();
    const box = await inResults('.ps-error', 'cancelled', 60_000);
    assert.match(await box.innerText(), /The run stopped at line 3/);
    assert.equal(await stop.isVisible().catch(() => false), false, 'the Stop button hides when the run ends');
    await shot(page, 'results-stop');
  });

  await check(HELP, [OPEN], async () => {
    await openFile(SPEC);
    await gotoLine(firstModel.line);
    await palette('PanelSpec: Help on Command');
    // on a line without a command the palette asks which: pick reghdfe
    const pick = page.locator('.quick-input-widget input');
    if (await pick.isVisible().catch(() => false)) {
      await page.waitForTimeout(300);
      // (the palette itself may still be fading out while the command already opened the page)
      if (await page.locator('.quick-input-widget', { hasText: 'Help on Command' }).isVisible().catch(() => false)) {
        if (await pick.fill('reghdfe', { timeout: 3000 }).then(() => true, () => false)) await page.keyboard.press('Enter');
      }
    }
    let found = false;
    for (const deadline = Date.now() + 20_000; !found && Date.now() < deadline; await page.waitForTimeout(250))
      for (const f of page.frames()) if (await f.locator('h2', { hasText: 'Example' }).count().catch(() => 0)) found = true;
    assert.ok(found, 'the help page shows its Example section');
    await page.waitForTimeout(300);
    await shot(page, 'help-page');
  });

  /** The frame (of several webviews) whose page has `selector` visible, within `timeout`. */
  async function frameWith(selector, timeout = 30_000) {
    for (const deadline = Date.now() + timeout; ; await page.waitForTimeout(250)) {
      for (const f of page.frames()) if (await f.locator(selector).first().isVisible().catch(() => false)) return f;
      if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    }
  }

  await check(HISTORY, [OPEN], async () => {
    const a = cliModel(histText('city_id year'), 'hist-a');
    const b = cliModel(histText('city_id'), 'hist-b');
    const term = 'lndensity';
    const ca = a.coefficients.find((c) => c.term === term);
    const cb = b.coefficients.find((c) => c.term === term);
    assert.ok(Math.abs(cb.estimate - ca.estimate) > 1e-3, 'the two absorb() give different estimates');
    await openFile(HIST_SPEC);
    // run 1: as written
    await palette('PanelSpec: Run File');
    const estimateShown = async (want) => {
      for (const deadline = Date.now() + 120_000; ; await page.waitForTimeout(250)) {
        // the model's own table: one row per coefficient (estimate, SE, t, p, interval)
        const rowSel = 'table.ps-table tr.ps-coef, table.ps-table tr.ps-data';
        const f = await frameWith(rowSel, 120_000);
        const row = f.locator(rowSel, { has: f.locator('th', { hasText: new RegExp(`^${term}$`) }) }).first();
        const text = await row.locator('td').first().innerText().catch(() => '');
        if (showsNumber(text, want)) return;
        assert.ok(Date.now() < deadline, `the panel shows ${term} = ${want}; it shows ${text}`);
      }
    };
    await estimateShown(ca.estimate);
    // run 2: the option edited in the editor, as a user would (absorb(city_id year) -> absorb(city_id))
    await gotoLine(3);
    await page.keyboard.press('End');
    for (let i = 0; i < ' year)'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type(')');
    await page.keyboard.press('Escape');
    await findOnScreen('absorb(city_id)');
    await palette('PanelSpec: Run File');
    await estimateShown(cb.estimate);
    // the history: both runs, newest first; tick both, compare
    await palette('PanelSpec: Show Run History');
    const f = await frameWith('input.ps-pick');
    const boxes = f.locator('input.ps-pick');
    for (const deadline = Date.now() + 20_000; (await boxes.count()) < 2; await page.waitForTimeout(250)) assert.ok(Date.now() < deadline, 'two runs in the history');
    assert.equal(await boxes.count(), 2, 'exactly the two runs of hist.pspec');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await f.locator('button.ps-compare-button:not([disabled])').click();
    const cmp = await frameWith('tr.ps-cmp-row');
    const cells = (await cmp.locator(`tr.ps-cmp-row[data-term="${term}"] td`).allInnerTexts()).map((t) => t.trim());
    assert.equal(cells.length, 6, cells.join(' | '));
    // the earlier run first: its estimate and SE, the later run's, then later minus earlier
    const want = [ca.estimate, ca.se, cb.estimate, cb.se, cb.estimate - ca.estimate, cb.se - ca.se];
    want.forEach((x, i) => assert.ok(showsNumber(cells[i], x), `cell ${i + 1} shows ${cells[i]}; expected ${x}`));
    // the other regressor too, and both runs' times in the header
    const open = (await cmp.locator('tr.ps-cmp-row[data-term="lnopen"] td').allInnerTexts()).map((t) => t.trim());
    const oa = a.coefficients.find((c) => c.term === 'lnopen');
    const ob = b.coefficients.find((c) => c.term === 'lnopen');
    assert.ok(showsNumber(open[4], ob.estimate - oa.estimate), `lnopen's difference ${open[4]}; expected ${ob.estimate - oa.estimate}`);
    assert.equal(await cmp.locator('table.ps-cmp thead th', { hasText: /^run of \d\d:\d\d:\d\d$/ }).count(), 2);
    // one run opened: read-only, labelled
    await wideShot('history');
    await cmp.locator('a[data-action="openRun"]').nth(1).click();
    const past = await frameWith('.ps-past');
    assert.match(await past.locator('.ps-past').innerText(), /Run of \d\d:\d\d, not the current text\./);
    const pastRow = past.locator('table.ps-table tr.ps-coef, table.ps-table tr.ps-data', { has: past.locator('th', { hasText: new RegExp(`^${term}$`) }) }).first();
    assert.ok(showsNumber(await pastRow.locator('td').first().innerText(), ca.estimate), 'the earlier run shows its own estimate');
    await wideShot('history-run');
    await past.locator('button[data-action="current"]').click();
  });

  await check(PANELS, [OPEN], async () => {
    await openFile(SPEC);
    await palette('PanelSpec: Show Results');
    await page.locator('.tab.active', { hasText: `Results: ${SPEC}` }).first().waitFor({ timeout: 15_000 });
    await openFile(HIST_SPEC);
    await palette('PanelSpec: Show Results');
    await page.locator('.tab.active', { hasText: `Results: ${HIST_SPEC}` }).first().waitFor({ timeout: 15_000 });
    // one tab per spec, each titled with its spec
    for (const name of [SPEC, HIST_SPEC]) assert.equal(await page.locator('.tab', { hasText: `Results: ${name}` }).count(), 1, `one results tab for ${name}`);
    await openFile(HIST_SPEC);
    await palette('File: Revert File').catch(() => {});
  });

  await check(LAZY, [OPEN], async () => {
    // lazy.pspec = memory.pspec with `use "panel.parquet", lazy`; the reference is memory.pspec's CLI run
    const memory = lazyJsonPath && existsSync(lazyJsonPath) ? JSON.parse(readFileSync(lazyJsonPath, 'utf8')) : undefined;
    const model = memory?.results?.find((r) => r.kind === 'estimation');
    assert.ok(model, `the in-memory run of memory.pspec gave an estimation (see cli-lazy-memory.log)`);
    const lazyLines = readFileSync(join(folder, 'lazy.pspec'), 'utf8').split(/\r?\n/);
    assert.match(lazyLines[model.line - 1] ?? '', /^reghdfe /, 'lazy.pspec has the model on the line memory.pspec has it');
    // one webview only (the results panel this run opens): close the help page, data viewer ...
    await palette('View: Close All Editors').catch(() => {});
    await page.waitForFunction(() => !document.querySelector('iframe.webview.ready'), undefined, { timeout: 15_000 }).catch(() => {});
    await openFile('lazy.pspec');
    await clickRunLens(model.line, lazyLines[model.line - 1]);
    for (const c of model.coefficients) {
      const cells = await tableCells(model, c.term);
      assert.ok(showsNumber(cells.estimate, c.estimate), `the lazy run shows ${cells.estimate} for ${c.term}; in memory ${c.estimate}`);
      assert.ok(showsNumber(cells.se, c.se), `the lazy run shows SE ${cells.se} for ${c.term}; in memory ${c.se}`);
    }
    await shot(page, 'results-lazy');
  });
} finally {
  await browser.close();
}

const summary = checkSummary();
writeFileSync(join(outDir, 'ui-summary.json'), JSON.stringify(summary, null, 2));
console.log(`ui tests: ${summary.passed} passed, ${summary.failed} failed`);
process.exit(summary.failed ? 1 : 0);

// The data viewer on the 1,000,000-row bench panel inside a real VS Code (code-server in chromium),
// as a user drives it: open it from the palette, read the first row and a column's profile, wheel
// through the rows, jump with the scrollbar, go to the end, sort by clicking a column's name, filter
// with an `if` expression (and mistype one). Every value checked comes from the CSV itself.
// Timings (open, frame intervals while wheeling, time until a jumped-to page shows, sort, filter)
// are printed and written to <outDir>/viewer-figures.json: figures, never pass/fail conditions.
// usage: node viewer.mjs <baseUrl> <workspaceDir> <outDir> [repeats]
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { checkRunner } from './checks.mjs';

const [base, folder, outDir = '.', repeatArg = '1'] = process.argv.slice(2);
const SPEC = 'viewer.pspec';
const DATA = 'bench_panel.csv';
const REPEATS = Math.max(1, Number(repeatArg) || 1);
const shot = (page, name) => page.screenshot({ path: join(outDir, `${name}.png`) });

// ---- what the viewer must show, from the CSV ---------------------------------------------------
const t0 = Date.now();
const text = readFileSync(join(folder, DATA), 'utf8');
const lines = text.split('\n').filter((l) => l !== '');
const header = lines[0].split(',');
const N = lines.length - 1;
const rowOf = (i) => lines[i + 1].split(',').map(Number);
const col = (name) => header.indexOf(name);
const [iX1, iD1, iYear] = [col('x1'), col('d1'), col('year')];
let sum = 0, sumsq = 0, min = Infinity, max = -Infinity, argmin = -1, argmax = -1, matching = 0;
for (let i = 0; i < N; i++) {
  const r = lines[i + 1];
  // x1 is the third field, d1 the fifteenth, year the second: split once per row
  const f = r.split(',');
  const x = Number(f[iX1]);
  sum += x;
  sumsq += x * x;
  if (x < min) (min = x), (argmin = i);
  if (x > max) (max = x), (argmax = i);
  if (Number(f[iD1]) === 3 && Number(f[iYear]) >= 2015) matching++;
}
const mean = sum / N;
const sd = Math.sqrt((sumsq - N * mean * mean) / (N - 1));
const FILTER = 'd1 == 3 & year >= 2015';
console.log(`  (read ${DATA}: ${N.toLocaleString('en-US')} rows x ${header.length} columns in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

// ---- checks: counted, timed; a check whose prerequisite failed fails too ----------------------
const { check, passed, summary: checkSummary } = checkRunner((n) => shot(page, `viewer-failure-${n}`));
const figures = { rows: N, columns: header.length, runs: [] };

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
page.setDefaultTimeout(30_000);
const editor = page.locator('.editor-instance .monaco-editor').first();

/** What the grid shows: the info line, the status line, column names, profile texts, visible rows. */
function gridState() {
  const info = document.getElementById('ps-info');
  const body = document.getElementById('ps-body');
  if (!info || !body) return null;
  const scroller = document.getElementById('ps-scroll');
  const top = scroller.getBoundingClientRect().top + document.getElementById('ps-head').offsetHeight;
  const bottom = scroller.getBoundingClientRect().bottom;
  const rows = [...body.querySelectorAll('.row')]
    .filter((tr) => !tr.hidden)
    .filter((tr) => {
      const b = tr.getBoundingClientRect();
      return b.bottom > top + 2 && b.top < bottom - 2;
    })
    .map((tr) => [...tr.children].map((td) => td.textContent));
  const profileCells = [...document.querySelectorAll('#ps-profiles .cell')];
  return {
    info: info.textContent,
    status: document.getElementById('ps-status').textContent,
    names: [...document.querySelectorAll('#ps-names .cell')].map((th) => th.textContent),
    profiles: profileCells.map((th) => [...th.querySelectorAll('div')].map((d) => d.textContent)),
    bars: profileCells.map((th) => th.querySelectorAll('svg rect').length),
    rows,
    scroll: { top: scroller.scrollTop, height: scroller.scrollHeight, client: scroller.clientHeight },
  };
}
/** A short account of a grid state for messages. */
const brief = (st) => st && JSON.stringify({ info: st.info, status: st.status, rows: st.rows.length ? `${st.rows[0][0]}..${st.rows[st.rows.length - 1][0]}` : 'none', scroll: st.scroll });

/** The data viewer's frame: the inner frame of the last webview (the only one in this suite). */
async function viewerFrame(timeoutMs = 60_000) {
  const outer = await page.locator('iframe.webview.ready').last().elementHandle({ timeout: timeoutMs });
  const host = await outer.contentFrame();
  const inner = await (await host.waitForSelector('#active-frame', { state: 'attached', timeout: timeoutMs })).contentFrame();
  await inner.waitForSelector('#ps-body', { state: 'attached', timeout: timeoutMs });
  return inner;
}

/** Polls the grid until `ok(state)`; returns [state, ms since `since`]. */
async function until(frame, ok, what, since = Date.now(), timeoutMs = 60_000) {
  let last = null;
  for (;;) {
    last = await frame.evaluate(gridState).catch(() => null);
    if (last && ok(last)) return [last, Date.now() - since];
    if (Date.now() - since > timeoutMs) throw new Error(`timed out waiting for ${what}; last seen: ${brief(last)}`);
    await page.waitForTimeout(10);
  }
}

const filled = (s) => s.rows.length > 5 && s.rows.every((r) => !r.includes('…'));
const rowNo = (s, k = 0) => Number(s.rows[k][0]);
/** A row's cells equal the CSV row (numbers as shown: 8 significant digits). */
function assertRow(cells, i, where, shownNo = i + 1) {
  const want = rowOf(i);
  assert.equal(Number(cells[0]), shownNo, `${where}: row number`);
  want.forEach((v, j) => assert.equal(Number(cells[j + 1]), +v.toPrecision(8), `${where}: ${header[j]} of row ${i + 1}`));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const OPEN = 'the 1M-row spec opens';
const VIEW = 'Open Data Viewer shows 1,000,000 rows, the first row and the profiles of the CSV';
const SCROLL = 'wheeling, jumping and End show the right rows';
const SORT = 'clicking a column name sorts by it, both ways';
const FILTER_OK = 'a filter shows the matching rows; a bad one says why and keeps the view';

let frame;
try {
  await check(OPEN, [], async () => {
    await page.goto(workbenchUrl(base, folder));
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: SPEC }).click();
    await editor.waitFor();
    await page.locator('#status\\.editor\\.mode', { hasText: 'PanelSpec' }).waitFor();
  });

  for (let run = 0; run < REPEATS; run++) {
    const fig = {};
    figures.runs.push(fig);
    if (run > 0) {
      // close the viewer and open it again: a repeat measures the same path (an edit of the data
      // steps drops the server's cached table, so the steps run again each time)
      await check(`close the viewer and edit the spec (run ${run + 1})`, [OPEN], async () => {
        const tab = page.locator('.tab', { hasText: `Data: ${SPEC}` }).first();
        await tab.hover();
        await tab.locator('.tab-actions .action-label').first().click();
        await tab.waitFor({ state: 'detached' });
        frame = undefined;
        await page.locator('.tab', { hasText: SPEC }).first().click();
        await editor.click({ position: { x: 300, y: 20 } });
        await page.keyboard.press('Control+End');
        await page.keyboard.type(`\ngen r${run} = ${run}`);
      });
    }
    await check(`${VIEW}${run ? ` (run ${run + 1})` : ''}`, [OPEN], async () => {
      await editor.click({ position: { x: 300, y: 20 } });
      await page.keyboard.press('Control+End'); // the data as the whole spec leaves it
      // the clock starts when the user presses Enter on the command
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>PanelSpec: Open Data Viewer');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'PanelSpec: Open Data Viewer' }).first().waitFor();
      const started = Date.now();
      await page.keyboard.press('Enter');
      frame = await viewerFrame();
      fig.webviewMs = Date.now() - started;
      const [s, ms] = await until(frame, (st) => filled(st) && /rows/.test(st.info), 'the first rows', started);
      fig.openMs = ms;
      const m = /([\d,]+) rows · (\d+) columns/.exec(s.info);
      assert.ok(m, `the info line counts rows and columns: ${s.info}`);
      assert.equal(Number(m[1].replace(/,/g, '')), N);
      // (a repeat has added r2, r3 ... after the CSV's columns)
      assert.equal(s.names.slice(1, header.length + 1).join(','), header.join(','), 'the CSV header, in order');
      s.rows.slice(0, 3).forEach((cells, k) => assertRow(cells, k, 'top'));
      const p = s.profiles[iX1 + 1];
      assert.deepEqual(p, ['num · no missing', `mean ${+mean.toPrecision(4)}`, `sd ${+sd.toPrecision(4)}`], 'x1 profile from the whole column');
      assert.equal(s.bars[iX1 + 1], 20, 'a 20-bin histogram under x1');
      console.log(`    open: ${ms} ms from Enter on the command to the first rows drawn (the webview existed after ${fig.webviewMs} ms)`);
      if (run === 0) await shot(page, 'data-viewer');
    });
    if (!frame) break;

    await check(`${SCROLL}${run ? ` (run ${run + 1})` : ''}`, [VIEW], async () => {
      const box = await page.locator('iframe.webview.ready').last().boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      // frame intervals while wheeling: a requestAnimationFrame recorder inside the webview
      await frame.evaluate(() => {
        const w = window;
        w.__frames = [];
        w.__stop = false;
        w.__long = {};
        try {
          // by whose code: 'self' is the viewer's, '…-ancestor' the workbench around it
          new PerformanceObserver((l) => l.getEntries().forEach((e) => (w.__long[e.name] = (w.__long[e.name] ?? 0) + 1))).observe({ type: 'longtask', buffered: false });
        } catch {}
        const loop = (t) => {
          w.__frames.push(t);
          if (!w.__stop) requestAnimationFrame(loop);
        };
        requestAnimationFrame(loop);
      });
      for (let k = 0; k < 80; k++) {
        await page.mouse.wheel(0, 120);
        await page.waitForTimeout(16);
      }
      const rec = await frame.evaluate(() => {
        window.__stop = true;
        return { frames: window.__frames, long: window.__long };
      });
      const gaps = rec.frames.slice(1).map((t, k) => t - rec.frames[k]);
      fig.wheel = { frames: gaps.length, medianMs: median(gaps), p95Ms: pct(gaps, 0.95), maxMs: Math.max(...gaps), over50ms: gaps.filter((g) => g > 50).length, longTasks: rec.long };
      const longText = Object.entries(rec.long).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
      const [afterWheel] = await until(frame, filled, 'rows after wheeling');
      assert.ok(rowNo(afterWheel) > 100, `the wheel moved down (top row ${rowNo(afterWheel)})`);
      assertRow(afterWheel.rows[0], rowNo(afterWheel) - 1, 'after wheeling');
      console.log(`    wheel: ${gaps.length} frames, interval median ${fig.wheel.medianMs.toFixed(1)} ms, p95 ${fig.wheel.p95Ms.toFixed(1)} ms, max ${fig.wheel.maxMs.toFixed(1)} ms, ${fig.wheel.over50ms} over 50 ms; long tasks: ${longText}`);

      // scrollbar jumps: set scrollTop as a drag does; time until the page there is drawn
      const jumps = [];
      for (const at of [0.5, 0.13, 0.87, 0.31, 0.69, 0.05, 0.95, 0.42]) {
        const started = Date.now();
        await frame.evaluate((f) => {
          const s = document.getElementById('ps-scroll');
          s.scrollTop = f * (s.scrollHeight - s.clientHeight);
        }, at);
        const [s, ms] = await until(frame, (st) => filled(st) && Math.abs(rowNo(st) / N - at) < 0.01, `rows near ${at * 100}%`, started);
        jumps.push(ms);
        assertRow(s.rows[0], rowNo(s) - 1, `jump to ${at * 100}%`);
        assertRow(s.rows[s.rows.length - 1], rowNo(s, s.rows.length - 1) - 1, `jump to ${at * 100}% (bottom row)`);
      }
      fig.jumpMs = { median: median(jumps), max: Math.max(...jumps) };
      console.log(`    jumps: page shown in median ${fig.jumpMs.median} ms, max ${fig.jumpMs.max} ms (${jumps.length} jumps)`);

      // End: the last row is the CSV's last
      await frame.locator('#ps-scroll').press('End');
      const [end] = await until(frame, (st) => filled(st) && rowNo(st, st.rows.length - 1) === N, 'the last row after End');
      assertRow(end.rows[end.rows.length - 1], N - 1, 'End');
      await frame.locator('#ps-scroll').press('Home');
      await until(frame, (st) => filled(st) && rowNo(st) === 1, 'the first row after Home');
    });

    await check(`${SORT}${run ? ` (run ${run + 1})` : ''}`, [VIEW], async () => {
      const head = async (name) => {
        for (const f of page.frames()) {
          const l = f.locator('#ps-names .cell', { hasText: new RegExp(`^${name}( [▲▼])?$`) });
          if (await l.count().catch(() => 0)) return l.first();
        }
        throw new Error(`no column header ${name}`);
      };
      let started = Date.now();
      await (await head('x1')).click();
      let [s, ms] = await until(frame, (st) => filled(st) && /sorted by x1\b/.test(st.info) && !/descending/.test(st.info), 'sorted by x1', started);
      fig.sortMs = ms;
      assertRow(s.rows[0], argmin, 'smallest x1 first', 1);
      assert.equal(s.names[iX1 + 1], 'x1 ▲');
      started = Date.now();
      await (await head('x1')).click();
      [s, ms] = await until(frame, (st) => filled(st) && /sorted by x1 \(descending\)/.test(st.info), 'sorted by x1 descending', started);
      fig.sortDescMs = ms;
      assertRow(s.rows[0], argmax, 'largest x1 first', 1);
      await (await head('x1')).click(); // third click: back to file order
      await until(frame, (st) => filled(st) && !/sorted/.test(st.info) && st.rows[0][0] === '1' && Number(st.rows[0][1]) === rowOf(0)[0], 'file order again');
      console.log(`    sort: ${fig.sortMs} ms ascending, ${fig.sortDescMs} ms descending (first page shown)`);
    });

    await check(`${FILTER_OK}${run ? ` (run ${run + 1})` : ''}`, [VIEW], async () => {
      const input = frame.locator('#ps-filter');
      await input.fill(FILTER);
      const started = Date.now();
      await input.press('Enter');
      const [s, ms] = await until(frame, (st) => filled(st) && /match/.test(st.info), 'filtered rows', started);
      fig.filterMs = ms;
      const m = /([\d,]+) of ([\d,]+) rows match/.exec(s.info);
      assert.ok(m, s.info);
      assert.equal(Number(m[1].replace(/,/g, '')), matching, `rows with ${FILTER}`);
      assert.equal(Number(m[2].replace(/,/g, '')), N);
      for (const cells of s.rows) {
        assert.equal(Number(cells[iD1 + 1]), 3);
        assert.ok(Number(cells[iYear + 1]) >= 2015);
      }
      assert.deepEqual(s.profiles[iD1 + 1].slice(1), ['mean 3', 'sd 0'], 'profiles describe the filtered rows (d1 is 3 on all)');
      if (run === 0) await shot(page, 'data-viewer-filtered');
      // a mistyped filter: the message names the problem, the rows stay
      await input.fill('d1 == 3 & nosuch > 1');
      await input.press('Enter');
      const [bad] = await until(frame, (st) => /nosuch/.test(st.status), 'the filter error');
      assert.match(bad.info, /match/, 'the filtered view stays');
      assert.equal(await input.evaluate((el) => el.classList.contains('invalid')), true, 'the filter box is marked invalid');
      await input.press('Escape');
      const [back] = await until(frame, (st) => filled(st) && / rows · /.test(st.info) && !/match/.test(st.info) && rowNo(st) === 1, 'all rows again');
      assertRow(back.rows[0], 0, 'after clearing the filter');
      console.log(`    filter: ${ms} ms to the first matching rows (${matching.toLocaleString('en-US')} of ${N.toLocaleString('en-US')})`);
    });
  }

  await check('an edit of the spec shows in the open viewer (a new gen column), scrolled where it was', [VIEW], async () => {
    frame = await viewerFrame();
    await frame.evaluate(() => {
      const sc = document.getElementById('ps-scroll');
      sc.scrollTop = sc.scrollHeight / 2;
    });
    const [before] = await until(frame, (st) => filled(st) && rowNo(st) > 1000, 'rows in the middle');
    await editor.click({ position: { x: 300, y: 20 } });
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\ngen twice = 2 * x1');
    const [after] = await until(frame, (st) => filled(st) && st.names.includes('twice'), 'the new column');
    const j = after.names.indexOf('twice');
    assert.ok(Math.abs(rowNo(after) - rowNo(before)) <= 2, `still at row ${rowNo(before)} (now ${rowNo(after)})`);
    for (const cells of after.rows) assert.equal(Number(cells[j]), +(2 * rowOf(Number(cells[0]) - 1)[iX1]).toPrecision(8), `twice on row ${cells[0]}`);
  });
} finally {
  await browser.close();
}

const summary = checkSummary();
writeFileSync(join(outDir, 'viewer-summary.json'), JSON.stringify(summary, null, 2));
writeFileSync(join(outDir, 'viewer-figures.json'), JSON.stringify(figures, null, 2));
if (figures.runs.length > 1) {
  const med = (f) => median(figures.runs.map(f).filter((x) => x !== undefined));
  console.log(`  medians over ${figures.runs.length} runs: open ${med((r) => r.openMs)} ms; wheel frame interval median ${med((r) => r.wheel?.medianMs)?.toFixed(1)} ms, p95 ${med((r) => r.wheel?.p95Ms)?.toFixed(1)} ms, max ${med((r) => r.wheel?.maxMs)?.toFixed(1)} ms; jump ${med((r) => r.jumpMs?.median)} ms; sort ${med((r) => r.sortMs)} ms; filter ${med((r) => r.filterMs)} ms`);
}
console.log(`viewer tests: ${summary.passed} passed, ${summary.failed} failed`);

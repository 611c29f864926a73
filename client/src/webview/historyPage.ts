// The results panel's history pages: the list of a spec's kept runs (newest first, tick two to
// compare), one kept run shown read-only under a banner saying it is not the current text, and two
// runs' shared models side by side (estimate, SE, and the difference). Every data-derived string
// is escaped; the page frame (CSP, nonce, theme CSS) is the results page's. Pure.

import { escapeHtml } from '../../../server/src/results/render/escape';
import { DEFAULT_DECIMALS, formatNumber } from '../../../server/src/results/format';
import type { RunComparison, ModelComparison } from '../history/compareRuns';
import type { RunRecord, RunSummary, DataFingerprint, SeedUse } from '../history/runRecord';
import { panelItems } from '../panelModel';
import { type PageOptions, itemHtml } from './page';
import { pageShell } from './shell';
import { tocHtml } from './toc';

export interface HistoryPageOptions extends PageOptions {
  maxRuns: number;
}

/** "14:05" and "2026-12-06" of an ISO time, in the extension host's time zone. */
export function clock(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}${seconds ? `:${p(d.getSeconds())}` : ''}`;
}
export function day(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function header(title: string, buttons: string[]): string {
  return `<header class="ps-top"><h1>${escapeHtml(title)}</h1>${buttons.join('')}</header>`;
}
const backToCurrent = '<button data-action="current" title="The results of the spec as it is now">Current results</button>';
const backToList = '<button data-action="history">All runs</button>';

const what = (line: number | undefined) => (line === undefined ? 'whole file' : `line ${line + 1}`);

function seedsText(seeds: SeedUse[]): string {
  return seeds.length ? seeds.map((s) => `${s.seed} (${s.source}, line ${s.line})`).join('; ') : 'none';
}

function dataText(d: DataFingerprint): string {
  if (d.missing || !d.sha256) return `${d.file}: not read after the run (${d.missing ?? 'unknown'})`;
  const scope = d.scope === 'full' ? 'SHA-256' : 'SHA-256 of the first MiB';
  return `${d.file}: ${scope} ${d.sha256.slice(0, 12)}…, ${d.size ?? '?'} bytes, modified ${d.mtime ? `${day(d.mtime)} ${clock(d.mtime, true)}` : '?'}`;
}

function dataCell(data: DataFingerprint[]): string {
  if (!data.length) return '—';
  return data
    .map((d) => `<span class="ps-hash" title="${escapeHtml(`${dataText(d)}${d.sha256 ? `\nSHA-256 ${d.sha256}` : ''}`)}">${escapeHtml(d.file)} ${escapeHtml(d.sha256 ? d.sha256.slice(0, 8) : '(gone)')}</span>`)
    .join('<br>');
}

function status(r: RunSummary): string {
  if (!r.error) return 'ok';
  const at = r.errorLine !== undefined && r.errorLine >= 0 ? ` at line ${r.errorLine + 1}` : '';
  return /cancel|stopped/i.test(r.error) ? `stopped${at}` : `error${at}`;
}

function listTable(runs: RunSummary[], picked: readonly string[]): string {
  const rows = runs.map((r) => {
    const id = escapeHtml(r.id);
    const on = picked.includes(r.id) ? ' checked' : '';
    return (
      `<tr class="ps-run${on ? ' ps-picked' : ''}" data-run="${id}">` +
      `<td><input type="checkbox" class="ps-pick" value="${id}" aria-label="compare the run of ${escapeHtml(clock(r.time, true))}"${on}></td>` +
      `<th scope="row" class="ps-stub"><a class="ps-link" href="#" data-action="openRun" data-run="${id}">${escapeHtml(`${day(r.time)} ${clock(r.time, true)}`)}</a></th>` +
      `<td>${escapeHtml(what(r.line))}</td>` +
      `<td${r.error ? ` title="${escapeHtml(r.error)}"` : ''}>${escapeHtml(status(r))}</td>` +
      `<td class="ps-left">${escapeHtml(r.models.join(', ') || '—')}</td>` +
      `<td class="ps-left">${escapeHtml(r.seeds.length ? r.seeds.map((s) => String(s.seed)).join(', ') : '—')}</td>` +
      `<td class="ps-left">${dataCell(r.data)}</td>` +
      `<td>${escapeHtml(r.version)}</td>` +
      `<td>${r.seconds !== undefined ? escapeHtml(`${r.seconds.toFixed(1)} s`) : ''}</td>` +
      '</tr>'
    );
  });
  return (
    '<div class="ps-table-wrap"><table class="ps-table ps-history">' +
    '<thead><tr><th scope="col">Compare</th><th scope="col" class="ps-stub">Run of</th><th scope="col">Ran</th><th scope="col">Status</th><th scope="col">Models</th><th scope="col">Seeds</th><th scope="col">Data</th><th scope="col">PanelSpec</th><th scope="col">Took</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></div>`
  );
}

/** The list of kept runs, and, when two were picked, their comparison below it. */
export function buildHistoryPage(runs: RunSummary[], opts: HistoryPageOptions, comparison?: RunComparison): string {
  const label = opts.fileLabel ?? 'spec';
  const body: string[] = [header(`History: ${label}`, [backToCurrent])];
  body.push('<main class="ps-history-page">');
  if (!runs.length) {
    body.push('<p class="ps-empty">No runs kept yet. Each run of this spec (Run File, or a model\'s ▶ Run) is kept here.</p>');
  } else {
    body.push(
      `<p class="ps-note">${runs.length} run${runs.length === 1 ? '' : 's'} kept, newest first (at most ${opts.maxRuns}: setting <code>panelspec.history.maxRuns</code>). ` +
        'Open a run to see its tables as they were; tick two runs to compare their models.</p>',
    );
    body.push(
      `<div class="ps-actions"><button data-action="compare" class="ps-compare-button"${comparison ? '' : ' disabled'}>Compare the two ticked runs</button><span class="ps-pick-count">${comparison ? '2 ticked' : 'tick two runs'}</span></div>`,
    );
    body.push(listTable(runs, comparison ? [comparison.a.id, comparison.b.id] : []));
  }
  if (comparison) body.push(comparisonHtml(comparison, opts));
  body.push('</main>');
  return pageShell({ title: `History: ${label}`, body, cspSource: opts.cspSource, nonce: opts.nonce });
}

const runName = (r: { time: string }) => `run of ${clock(r.time, true)}`;

/** A number of the comparison: the panel's decimals, with the full value as its tooltip. */
function num(x: number | undefined, decimals: number): string {
  if (x === undefined) return '<td class="ps-missing">—</td>';
  return `<td title="${escapeHtml(String(x))}">${escapeHtml(formatNumber(x, decimals))}</td>`;
}

/** A difference: like num, but a change too small for the decimals is written in full, never as 0. */
function diffNum(x: number | undefined, decimals: number): string {
  if (x === undefined) return '<td class="ps-missing">—</td>';
  const fixed = formatNumber(x, decimals);
  const shown = x !== 0 && Number(fixed) === 0 ? x.toExponential(2) : fixed;
  return `<td class="ps-diff" title="${escapeHtml(String(x))}">${escapeHtml(shown)}</td>`;
}

function modelTable(m: ModelComparison, c: RunComparison, decimals: number): string {
  const a = escapeHtml(runName(c.a));
  const b = escapeHtml(runName(c.b));
  const rows = m.rows.map(
    (r) =>
      `<tr class="ps-cmp-row" data-term="${escapeHtml(r.term)}"><th scope="row" class="ps-stub">${escapeHtml(r.term)}</th>` +
      num(r.a?.estimate, decimals) +
      num(r.a?.se, decimals) +
      num(r.b?.estimate, decimals) +
      num(r.b?.se, decimals) +
      diffNum(r.diff?.estimate, decimals) +
      diffNum(r.diff?.se, decimals) +
      '</tr>',
  );
  const n = m.nobsA !== undefined || m.nobsB !== undefined ? `<tbody><tr class="ps-stat"><th scope="row" class="ps-stub">N</th><td colspan="2">${m.nobsA ?? '—'}</td><td colspan="2">${m.nobsB ?? '—'}</td><td>${m.nobsA !== undefined && m.nobsB !== undefined ? m.nobsB - m.nobsA : '—'}</td><td></td></tr></tbody>` : '';
  return (
    '<div class="ps-table-wrap"><table class="ps-table ps-cmp">' +
    `<thead><tr><th class="ps-stub"></th><th scope="colgroup" colspan="2">${a}</th><th scope="colgroup" colspan="2">${b}</th><th scope="colgroup" colspan="2">Difference (${b} − ${a})</th></tr>` +
    '<tr><th scope="col" class="ps-stub">Term</th><th scope="col">Coefficient</th><th scope="col">SE</th><th scope="col">Coefficient</th><th scope="col">SE</th><th scope="col">Coefficient</th><th scope="col">SE</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody>${n}</table></div>`
  );
}

export function comparisonHtml(c: RunComparison, opts: PageOptions): string {
  const out: string[] = [`<section class="ps-compare" id="ps-compare"><h2>${escapeHtml(`${day(c.a.time)}: ${runName(c.a)} and ${runName(c.b)}, side by side`)}</h2>`];
  if (!c.models.length) out.push('<p class="ps-empty">These two runs share no model (models match by their eststo name, else by the text of their line).</p>');
  for (const m of c.models) {
    const lines = m.lineA === m.lineB ? `line ${m.lineA}` : `line ${m.lineA} → ${m.lineB}`;
    out.push(`<h3 class="ps-cmp-model">${escapeHtml(m.label)} <span class="ps-meta">${escapeHtml(lines)}</span></h3>`);
    out.push(modelTable(m, c, opts.display.decimals ?? DEFAULT_DECIMALS));
  }
  if (c.onlyA.length) out.push(`<p class="ps-note">Only in the ${escapeHtml(runName(c.a))}: ${escapeHtml(c.onlyA.join(', '))}</p>`);
  if (c.onlyB.length) out.push(`<p class="ps-note">Only in the ${escapeHtml(runName(c.b))}: ${escapeHtml(c.onlyB.join(', '))}</p>`);
  out.push('</section>');
  return out.join('\n');
}

/** One kept run, read-only, under a banner that says when it ran and that it is not the current text. */
export function buildRunPage(rec: RunRecord, opts: HistoryPageOptions): string {
  const label = opts.fileLabel ?? 'spec';
  const when = `${day(rec.time)} ${clock(rec.time, true)}`;
  const body: string[] = [header(`${label}: run of ${clock(rec.time)}`, [backToList, backToCurrent])];
  body.push('<main class="ps-past-run">');
  body.push(
    `<div class="ps-past" role="note"><strong>${escapeHtml(`Run of ${clock(rec.time)}, not the current text.`)}</strong> ` +
      `${escapeHtml(`Kept from ${when} (${what(rec.line)}); read-only: line numbers refer to the spec as it was then.`)}</div>`,
  );
  body.push(
    '<dl class="ps-provenance">' +
      `<dt>PanelSpec</dt><dd>${escapeHtml(rec.version)}</dd>` +
      `<dt>Seeds</dt><dd>${escapeHtml(seedsText(rec.seeds))}</dd>` +
      `<dt>Data</dt><dd>${rec.data.length ? rec.data.map((d) => escapeHtml(dataText(d))).join('<br>') : 'none read'}</dd>` +
      (rec.seconds !== undefined ? `<dt>Took</dt><dd>${escapeHtml(`${rec.seconds.toFixed(2)} s`)}</dd>` : '') +
      '</dl>',
  );
  if (rec.error) {
    const at = rec.error.line >= 0 ? ` at line ${rec.error.line + 1}` : '';
    body.push(`<div class="ps-error" role="alert"><strong>Error${escapeHtml(at)}</strong>: ${escapeHtml(rec.error.message)}</div>`);
  }
  const items = panelItems(rec.output, opts.display);
  body.push(tocHtml(items));
  const none = { stale: new Set<number>(), previous: new Set<number>() };
  for (const item of items) body.push(itemHtml(item, opts, none, true));
  if (!items.length && !rec.error) body.push('<p class="ps-empty">This run produced no results.</p>');
  body.push('</main>');
  return pageShell({ title: `${label}: run of ${clock(rec.time)}`, body, cspSource: opts.cspSource, nonce: opts.nonce, bodyClass: 'ps-readonly' });
}

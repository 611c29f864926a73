// esttab's estout-style options read from the parsed option terms into a plain, JSON-safe layout
// that the table result carries (so the CLI text, the panel and the written file agree). One reader
// for the runtime (first problem -> run-time error) and the static check (every problem -> a
// diagnostic on its range), so that what the editor flags is exactly what would fail.
//
//   b(%9.4f) se(%9.3f) t(2) p(3) ci(%9.3f) formats of estimates / what goes in parentheses (ci: brackets)
//   star(* 0.10 ** 0.05 *** 0.01) nostar   symbols and thresholds (p < level)
//   r2 ar2 pr2 [(fmt)] scalars(...) sfmt() noobs obslast   esttab's footer
//   stats(N r2, fmt(0 3) labels("Obs." "R2"))               estout's footer (overrides the above)
//   indicate("City FE = *city*" ..., labels(Y N))          Yes/No rows per coefficient/FE pattern
//   nonumbers nomtitles mtitles nonotes addnotes("...")

import type { Option, Range, Term } from '../../../grammar/src/ast';
import { termText } from '../../../grammar/src/termText';
import { FORMAT_HINT, parseNumFormat } from './numberFormat';
import { resolveStat, statNames } from './esttabStats';
import type { EsttabLayout, IndicateGroup, StarLevel, StatRowSpec } from './types';

export interface SpecProblem {
  message: string;
  range: Range;
}

/** `opts`: the esttab options given, by canonical (registry) name. */
export function readEsttabLayout(opts: ReadonlyMap<string, Option>): { layout: EsttabLayout; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const layout: EsttabLayout = {};
  const bad = (message: string, range: Range) => problems.push({ message, range });
  const argsRange = (o: Option): Range => o.argsRange ?? o.range;

  /** One format word of an option, checked; undefined when absent or bad. */
  const oneFormat = (name: string, required: boolean): string | undefined => {
    const o = opts.get(name);
    if (!o) return undefined;
    const ws = words(o.args ?? []);
    if (!ws.length) {
      if (required) bad(`${name}() needs ${FORMAT_HINT}`, o.range);
      return undefined;
    }
    if (ws.length > 1) {
      bad(`${name}() takes one format, found ${ws.length}`, argsRange(o));
      return undefined;
    }
    return checkFormat(name, ws[0], bad);
  };

  const b = oneFormat('b', true);
  if (b) layout.b_format = b;

  const parens = (['se', 't', 'p', 'ci'] as const).filter((k) => opts.has(k));
  if (parens.length > 1) bad(`choose one of se, t, p and ci for the parentheses (found ${parens.join(' and ')})`, opts.get(parens[1])!.nameRange);
  if (parens.length) {
    const k = parens[0];
    if (k !== 'se') layout.paren = k;
    const f = oneFormat(k, false);
    if (f) layout.paren_format = f;
  }

  if (opts.has('nostar')) {
    if (opts.has('star')) bad('star() and nostar contradict each other', opts.get('nostar')!.nameRange);
    layout.star_levels = [];
  } else if (opts.get('star')?.args?.length) layout.star_levels = readStars(opts.get('star')!, bad);

  readFooter(opts, layout, bad);
  if (opts.has('indicate')) readIndicate(opts.get('indicate')!, layout, bad);

  if (opts.has('nonumbers')) layout.numbers = false;
  // nomtitles wins over mtitles(...), as papers' esttab lines often carry both
  if (opts.has('nomtitles')) layout.mtitle_row = false; else if (opts.has('mtitles') && !opts.get('mtitles')!.args?.length) layout.mtitle_row = 'names';
  if (opts.has('nonotes')) layout.notes = false;
  const add = opts.get('addnotes');
  if (add) {
    const notes = (add.args ?? []).filter((t) => t.kind === 'str').map((t) => (t as { value: string }).value);
    if (!notes.length) bad('addnotes() needs one or more quoted lines: addnotes("Line 1" "Line 2")', add.range);
    else layout.addnotes = notes;
  }
  return { layout, problems };
}

function readStars(o: Option, bad: (m: string, r: Range) => void): StarLevel[] | undefined {
  const ws = words(o.args ?? []);
  if (ws.length % 2) {
    bad('star() takes pairs of a symbol and a p-value level: star(* 0.10 ** 0.05 *** 0.01)', o.argsRange ?? o.range);
    return undefined;
  }
  const levels: StarLevel[] = [];
  for (let i = 0; i < ws.length; i += 2) {
    const p = Number(ws[i + 1].text);
    if (!/^\d*\.?\d+(e-?\d+)?$/i.test(ws[i + 1].text) || !(p > 0 && p <= 1)) {
      bad(`star(): the level after ${ws[i].text || '""'} must be a number in (0, 1], found \`${ws[i + 1].text}\``, ws[i + 1].range);
      return undefined;
    }
    levels.push({ symbol: ws[i].text, p });
  }
  // estout wants them in descending order; each symbol names its own level, so sorting loses nothing
  return levels.sort((a, b) => b.p - a.p);
}

function readFooter(opts: ReadonlyMap<string, Option>, layout: EsttabLayout, bad: (m: string, r: Range) => void): void {
  const st = opts.get('stats');
  if (st) {
    // estout: stats() replaces esttab's r2/ar2/pr2/scalars()/noobs footer
    for (const k of ['r2', 'ar2', 'pr2', 'scalars', 'sfmt', 'noobs', 'obslast'])
      if (opts.has(k)) bad(`${k} has no effect with stats(): list the statistic in stats() instead`, opts.get(k)!.nameRange);
    layout.stat_rows = readStats(st, bad);
    return;
  }
  const footer = ['r2', 'ar2', 'pr2', 'scalars', 'sfmt', 'noobs', 'obslast'].filter((k) => opts.has(k));
  if (!footer.length) return;
  // esttab: N first (last with obslast), then scalars() in sfmt() formats, then R², adjusted, pseudo
  const rows: StatRowSpec[] = [];
  const sc = opts.get('scalars');
  if (sc) {
    const sfmt = opts.get('sfmt');
    const fmts = sfmt ? words(sfmt.args ?? []).map((w) => checkFormat('sfmt', w, bad)) : [];
    if (sfmt && !fmts.length) bad(`sfmt() needs ${FORMAT_HINT}`, sfmt.range);
    const items = sc.args ?? [];
    if (!items.length) bad('scalars() needs statistic names: scalars(r2_within "N_clust Clusters")', sc.range);
    items.forEach((t, i) => {
      // a quoted "name label" pair, or a bare name
      const text = t.kind === 'str' ? t.value.trim() : termText(t);
      const [name, ...rest] = text.split(/\s+/);
      const stat = statOf(name, t.range, bad);
      if (!stat) return;
      const row: StatRowSpec = { stat };
      if (rest.length) row.label = rest.join(' ');
      const f = fmts.length ? fmts[Math.min(i, fmts.length - 1)] : undefined;
      if (f) row.format = f;
      rows.push(row);
    });
  } else if (opts.has('sfmt')) bad('sfmt() sets the formats of scalars(): give scalars() too', opts.get('sfmt')!.nameRange);
  for (const [flag, stat] of [['r2', 'r2'], ['ar2', 'r2_a'], ['pr2', 'r2_p']] as const) {
    const o = opts.get(flag);
    if (!o) continue;
    const ws = words(o.args ?? []);
    if (ws.length > 1) bad(`${flag}() takes one format, found ${ws.length}`, o.argsRange ?? o.range);
    const f = ws.length === 1 ? checkFormat(flag, ws[0], bad) : undefined;
    rows.push(f ? { stat, format: f } : { stat });
  }
  // scalars("N Observations") relabels the N row rather than adding a second one
  if (!opts.has('noobs') && !rows.some((r) => r.stat === 'N')) {
    if (opts.has('obslast')) rows.push({ stat: 'N' });
    else rows.unshift({ stat: 'N' });
  }
  layout.stat_rows = rows;
}

function readStats(o: Option, bad: (m: string, r: Range) => void): StatRowSpec[] {
  const args = o.args ?? [];
  const comma = args.findIndex((t) => t.kind === 'op' && t.op === ',');
  const names = comma < 0 ? args : args.slice(0, comma);
  const rows: StatRowSpec[] = [];
  for (const t of names) {
    const stat = statOf(termText(t), t.range, bad);
    if (stat) rows.push({ stat });
  }
  if (!names.length) bad('stats() needs statistic names: stats(N r2 r2_within)', o.range);
  for (const t of comma < 0 ? [] : args.slice(comma + 1)) {
    if (t.kind !== 'call') {
      bad(`stats(): expected fmt() or labels() after the comma, found \`${termText(t)}\``, t.range);
      continue;
    }
    const sub = t.name.toLowerCase();
    if ('fmt'.startsWith(sub)) {
      const fmts = words(t.args).map((w) => checkFormat('fmt', w, bad));
      if (!fmts.length) bad(`fmt() needs ${FORMAT_HINT}`, t.range);
      // estout: the last format serves the remaining statistics
      rows.forEach((r, i) => {
        const f = fmts[Math.min(i, fmts.length - 1)];
        if (f) r.format = f;
      });
    } else if ('labels'.startsWith(sub)) {
      const labels = words(t.args).map((w) => w.text);
      rows.forEach((r, i) => {
        if (i < labels.length) r.label = labels[i];
      });
    } else bad(`stats(): unknown suboption ${t.name}() (fmt() and labels() are supported)`, t.nameRange);
  }
  return rows;
}

function readIndicate(o: Option, layout: EsttabLayout, bad: (m: string, r: Range) => void): void {
  const args = o.args ?? [];
  const comma = args.findIndex((t) => t.kind === 'op' && t.op === ',');
  const groupsT = comma < 0 ? args : args.slice(0, comma);
  const texts = groupsT.every((t) => t.kind === 'str') ? groupsT.map((t) => (t as { value: string }).value) : [groupsT.map((t) => termText(t)).join(' ')];
  const groups: IndicateGroup[] = [];
  for (const text of texts) {
    const eq = text.indexOf('=');
    const label = (eq >= 0 ? text.slice(0, eq) : text).trim();
    const patterns = (eq >= 0 ? text.slice(eq + 1) : text).trim().split(/\s+/).filter(Boolean);
    if (!patterns.length || !label) {
      bad(`indicate(): write each group as "LABEL = PATTERN ...", e.g. indicate("Year FE = *year*"), found \`${text}\``, o.argsRange ?? o.range);
      continue;
    }
    groups.push({ label, patterns });
  }
  if (!groupsT.length) bad('indicate() needs groups: indicate("City FE = *city*" "Year FE = *year*")', o.range);
  for (const t of comma < 0 ? [] : args.slice(comma + 1)) {
    if (t.kind === 'call' && 'labels'.startsWith(t.name.toLowerCase())) {
      const ls = words(t.args).map((w) => w.text);
      if (ls.length !== 2) bad('indicate(..., labels(YES NO)) takes two labels', t.range);
      else layout.indicate_labels = [ls[0], ls[1]];
    } else bad(`indicate(): expected labels(YES NO) after the comma, found \`${termText(t)}\``, t.range);
  }
  if (groups.length) layout.indicate = groups;
}

function statOf(written: string, range: Range, bad: (m: string, r: Range) => void): string | undefined {
  const stat = resolveStat(written);
  if (!stat) bad(`unknown statistic \`${written}\` (known: ${statNames().join(' ')})`, range);
  return stat;
}

function checkFormat(option: string, w: Word, bad: (m: string, r: Range) => void): string | undefined {
  if (parseNumFormat(w.text)) return w.text;
  bad(`${option}(): \`${w.text}\` is not a number format; write ${FORMAT_HINT}`, w.range);
  return undefined;
}

export interface Word {
  text: string;
  range: Range;
}

/**
 * Option arguments as the user's words: terms that touch are one word (`%9.4f` lexes as `%`, `9.4`,
 * `f`), a quoted string is one word on its own (`""` is an empty star symbol).
 */
export function words(terms: Term[]): Word[] {
  const out: Word[] = [];
  let prev: Term | undefined;
  for (const t of terms) {
    const text = termText(t);
    const touches = prev && prev.kind !== 'str' && t.kind !== 'str' && (prev.range.end.offset === t.range.start.offset || (sameRange(prev, t) && formatPiece(prev, t)));
    if (touches) {
      const w = out[out.length - 1];
      out[out.length - 1] = { text: w.text + text, range: { start: w.range.start, end: t.range.end } };
    } else out.push({ text, range: t.range });
    prev = t;
  }
  return out;
}

// Terms a `$global` expanded to all carry the global's range, so whether they touched is lost:
// rejoin only the pieces of a number format (`%` `9.3` `f`), which cannot be meant apart.
const sameRange = (a: Term, b: Term) => a.range.start.offset === b.range.start.offset && a.range.end.offset === b.range.end.offset;
function formatPiece(prev: Term, t: Term): boolean {
  if (prev.kind === 'op' && prev.op.endsWith('%')) return t.kind === 'num' || (t.kind === 'var' && /^g$/.test(t.name));
  return prev.kind === 'num' && t.kind === 'var' && /^[fge]c?$/.test(t.name);
}

// Two kept runs side by side: the models they share (the same `eststo` name, else the same line
// text), each coefficient's estimate and SE in both runs and the difference (second minus first).
// Pure: the history page draws what this returns.

import type { CoefRow, CommandResult } from '../../../server/src/results/types';
import type { RunRecord } from './runRecord';

type Model = Extract<CommandResult, { kind: 'estimation' }>;

export interface ModelInRun {
  key: string; // what matches it across runs
  label: string; // what the page calls it
  result: Model;
}

export interface CoefPair {
  term: string;
  a?: { estimate: number; se: number };
  b?: { estimate: number; se: number };
  /** b - a, when the term is in both runs */
  diff?: { estimate: number; se: number };
}

export interface ModelComparison {
  key: string;
  label: string;
  lineA?: number;
  lineB?: number;
  nobsA?: number;
  nobsB?: number;
  rows: CoefPair[];
}

export interface RunComparison {
  a: { id: string; time: string };
  b: { id: string; time: string };
  models: ModelComparison[];
  onlyA: string[]; // labels of models only the first run has
  onlyB: string[];
}

/** The estimations of a run, keyed by eststo name, else by the text of their line. */
export function modelsOf(rec: RunRecord): ModelInRun[] {
  const lines = rec.text?.split(/\r?\n/);
  const seen = new Map<string, number>();
  const out: ModelInRun[] = [];
  for (const r of rec.output.results) {
    if (r.kind !== 'estimation') continue;
    const lineText = typeof r.line === 'number' ? lines?.[r.line - 1]?.trim().replace(/\s+/g, ' ') : undefined;
    let key = r.name ? `name:${r.name}` : lineText ? `text:${lineText}` : `model:${r.command} ${r.depvar}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n > 1) key += `#${n}`; // the same line text twice in one spec: matched in order
    const label = r.name ? `${r.name}: ${r.command} ${r.depvar}` : lineText ?? `${r.command} ${r.depvar}`;
    out.push({ key, label, result: r });
  }
  return out;
}

export function compareModel(key: string, label: string, a: Model, b: Model): ModelComparison {
  const byTerm = (rows: CoefRow[]) => new Map(rows.map((c) => [c.term, c]));
  const ta = byTerm(a.coefficients ?? []);
  const tb = byTerm(b.coefficients ?? []);
  const terms = [...ta.keys(), ...[...tb.keys()].filter((t) => !ta.has(t))];
  const rows = terms.map((term): CoefPair => {
    const x = ta.get(term);
    const y = tb.get(term);
    return {
      term,
      ...(x ? { a: { estimate: x.estimate, se: x.se } } : {}),
      ...(y ? { b: { estimate: y.estimate, se: y.se } } : {}),
      ...(x && y ? { diff: { estimate: y.estimate - x.estimate, se: y.se - x.se } } : {}),
    };
  });
  const nobs = (m: Model) => ('nobs' in m && typeof m.nobs === 'number' ? m.nobs : undefined);
  return { key, label, lineA: a.line, lineB: b.line, nobsA: nobs(a), nobsB: nobs(b), rows };
}

/** Runs `a` and `b` compared, the earlier one first whatever order they were picked in. */
export function compareRuns(x: RunRecord, y: RunRecord): RunComparison {
  const [a, b] = x.id <= y.id ? [x, y] : [y, x];
  const ma = modelsOf(a);
  const mb = new Map(modelsOf(b).map((m) => [m.key, m]));
  const models: ModelComparison[] = [];
  const onlyA: string[] = [];
  for (const m of ma) {
    // the same name or line text; else an unnamed model edited in place (same line, command, depvar)
    const other =
      mb.get(m.key) ??
      (m.result.name ? undefined : [...mb.values()].find((o) => !o.result.name && o.result.line === m.result.line && o.result.command === m.result.command && o.result.depvar === m.result.depvar));
    if (!other) onlyA.push(m.label);
    else {
      models.push(compareModel(m.key, other.key === m.key ? m.label : `${m.label} → ${other.label}`, m.result, other.result));
      mb.delete(other.key);
    }
  }
  return { a: { id: a.id, time: a.time }, b: { id: b.id, time: b.time }, models, onlyA, onlyB: [...mb.values()].map((m) => m.label) };
}

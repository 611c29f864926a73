// What the results panel shows, as plain data: it is what the webview saves with setState and
// what the serializer restores after a reload. Pure, no `vscode`.

import type { CommandResult, RunOutput } from '../../server/src/results/types';
import { lineMapping, locate } from '../../server/src/results/lineMap';
import type { RunError } from './protocol';

export interface PanelState {
  uri: string; // the spec whose results are shown
  output: RunOutput;
  error?: RunError;
  running?: boolean;
  updated?: string; // ISO time of the last result
  /** The spec text the result lines refer to (moved onto each edit, see rebase). */
  text?: string;
  /** Result line (1-based) -> last 0-based line of its statement. */
  ends?: Record<number, number>;
  /** Lines (1-based) of results whose statement changed since they ran. */
  stale?: number[];
  /** Lines (1-based) of results kept from an earlier run (the last run failed or stopped before them). */
  previous?: number[];
}

/** The state with its result lines moved onto `text` (the spec as the editor holds it now). */
export function rebase(state: PanelState, text: string): PanelState {
  if (state.text === undefined || state.text === text) return state.text === undefined ? { ...state, text } : state;
  const map = lineMapping(state.text, text);
  const moved = new Map<number, { line: number; stale: boolean; end: number }>();
  for (const r of state.output.results) {
    if (typeof r.line !== 'number' || moved.has(r.line)) continue;
    const from = r.line - 1;
    const to = Math.max(from, state.ends?.[r.line] ?? from);
    const at = locate(map, from, to);
    moved.set(r.line, { line: at.line + 1, stale: at.stale, end: at.line + (to - from) });
  }
  const results = state.output.results.map((r) => (typeof r.line === 'number' ? { ...r, line: moved.get(r.line)!.line } : r));
  const ends: Record<number, number> = {};
  const stale = new Set<number>();
  const previous = new Set<number>();
  for (const [old, m] of moved) {
    ends[m.line] = m.end;
    if (m.stale || state.stale?.includes(old)) stale.add(m.line);
    if (state.previous?.includes(old)) previous.add(m.line);
  }
  return { ...state, text, output: { ...state.output, results }, ends, stale: [...stale], previous: [...previous] };
}

export function isPanelState(x: unknown): x is PanelState {
  if (!x || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  const out = o.output as Record<string, unknown> | undefined;
  return typeof o.uri === 'string' && !!out && typeof out === 'object' && Array.isArray(out.results);
}

export function emptyState(uri: string): PanelState {
  return { uri, output: { version: 1, file: '', results: [] } };
}

/**
 * The panel after a run. A whole-file run replaces what was there; a run of one line (a model
 * re-run from its CodeLens) updates that model in place: results with the same spec line are
 * replaced, new lines are inserted in line order, the rest stays.
 */
export function applyRun(
  prev0: PanelState | undefined,
  uri: string,
  output: RunOutput,
  error: RunError | undefined,
  partial: boolean,
  ran: { text?: string; ends?: Record<number, number> } = {},
): PanelState {
  const updated = new Date().toISOString();
  // the earlier results, moved onto the text this run saw, so lines compare
  const prev = prev0 && prev0.uri === uri ? (ran.text !== undefined ? rebase(prev0, ran.text) : prev0) : undefined;
  const text = ran.text ?? prev?.text;
  const ends = { ...(prev?.ends ?? {}), ...(ran.ends ?? {}) };
  const lines = (rs: CommandResult[]) => rs.map((r) => r.line).filter((l): l is number => typeof l === 'number');
  const fresh = new Set(lines(output.results));
  // A run that failed before producing anything (a syntax error, say) keeps the last results on
  // screen under its error, marked as not from this run, rather than blanking the panel.
  if (error && !output.results.length && prev) return { ...prev, error, running: false, updated, previous: lines(prev.output.results) };
  if (!prev || (!partial && !error)) return { uri, output, error, running: false, updated, text, ends: ran.ends ?? {}, stale: [], previous: [] };
  // A line run updates its model in place; a run that failed or was stopped part-way keeps the
  // earlier results it did not reach, marked as such.
  const merged = mergeResults(prev.output.results, output.results);
  const previous = partial ? (prev.previous ?? []).filter((l) => !fresh.has(l)) : lines(merged).filter((l) => !fresh.has(l));
  const stale = (prev.stale ?? []).filter((l) => !fresh.has(l));
  return { uri, output: { ...output, results: merged }, error, running: false, updated, text, ends, stale, previous };
}

export function mergeResults(prev: CommandResult[], next: CommandResult[]): CommandResult[] {
  const nextLines = new Set(next.map((r) => r.line).filter((l): l is number => typeof l === 'number'));
  const nextUnlinedKinds = new Set(next.filter((r) => typeof r.line !== 'number').map((r) => r.kind));
  const kept = prev.filter((r) => (typeof r.line === 'number' ? !nextLines.has(r.line) : !nextUnlinedKinds.has(r.kind)));
  const merged = [...kept];
  for (const r of next) {
    if (typeof r.line !== 'number') {
      merged.unshift(r);
      continue;
    }
    const at = merged.findIndex((m) => typeof m.line === 'number' && m.line > r.line!);
    if (at < 0) merged.push(r);
    else merged.splice(at, 0, r);
  }
  return merged;
}

/** Drops what the panel never shows (vcov matrices, residual-sized arrays) before setState. */
export function slimForState(state: PanelState): PanelState {
  return { ...state, running: false, output: slimOutput(state.output) };
}

/** The output without the vcov matrices (the panel, the state and the history never show them). */
export function slimOutput(output: RunOutput): RunOutput {
  const results = output.results.map((r) => {
    if (r.kind !== 'estimation' || !('vcov_matrix' in r)) return r;
    const { vcov_matrix: _v, ...rest } = r;
    return rest;
  });
  return { ...output, results };
}

// What the results panel shows, as plain data: it is what the webview saves with setState and
// what the serializer restores after a reload. Pure, no `vscode`.

import type { CommandResult, RunOutput } from '../../server/src/results/types';
import type { RunError } from './protocol';

export interface PanelState {
  uri: string; // the spec whose results are shown
  output: RunOutput;
  error?: RunError;
  running?: boolean;
  updated?: string; // ISO time of the last result
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
export function applyRun(prev: PanelState | undefined, uri: string, output: RunOutput, error: RunError | undefined, partial: boolean): PanelState {
  const updated = new Date().toISOString();
  // A run that failed before producing anything (a syntax error, say) keeps the last results
  // on screen under its error rather than blanking the panel.
  if (error && !output.results.length && prev && prev.uri === uri) return { ...prev, error, running: false, updated };
  if (!partial || !prev || prev.uri !== uri) return { uri, output, error, running: false, updated };
  return { uri, output: { ...output, results: mergeResults(prev.output.results, output.results) }, error, running: false, updated };
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
  const results = state.output.results.map((r) => {
    if (r.kind !== 'estimation') return r;
    const { vcov_matrix: _v, ...rest } = r;
    return rest;
  });
  return { ...state, running: false, output: { ...state.output, results } };
}

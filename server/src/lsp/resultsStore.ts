// Results of the runs of each document, kept for hovers (coefficients on regressors, fit on the
// depvar, model summaries in esttab) and inlay hints. Results carry the 1-based line of their
// command in the text that ran; the store keeps that text and each statement's last line, and maps
// them onto the text the editor holds now (results/lineMap.ts): a line inserted above a model moves
// its result with it, and a result whose own statement was edited is answered as stale.
import type { CommandResult, RunOutput } from '../results/types';
import { lineMapping, locate } from '../results/lineMap';

/** A result placed in the current text. */
export interface Placed {
  result: CommandResult;
  /** 0-based lines of its statement in the current text. */
  from: number;
  to: number;
  /** Its statement changed since it ran (or it came in already stale). */
  stale: boolean;
}

interface Entry {
  text: string;
  placed: Placed[];
}

export class ResultsStore {
  private readonly byUri = new Map<string, Entry>();
  private readonly views = new Map<string, { text: string; placed: Placed[] }>();

  /**
   * Results of a run on `text`; `endLine(line1)` is the last 0-based line of the statement of a result.
   * A partial run (up to a line) refreshes the results it produced and keeps the others, moved onto
   * the new text first. `stale` marks results already known to be out of date (restored by the client).
   */
  set(uri: string, output: RunOutput, text: string, endLine: (line1: number) => number, stale: ReadonlySet<number> = new Set()): void {
    const fresh: Placed[] = output.results.map((r) => {
      const from = typeof r.line === 'number' ? r.line - 1 : -1;
      return { result: r, from, to: from < 0 ? -1 : Math.max(from, endLine(r.line!)), stale: typeof r.line === 'number' && stale.has(r.line) };
    });
    const kept = this.place(uri, text).filter((p) => p.from < 0 || !fresh.some((f) => f.from === p.from));
    const placed = [...kept.filter((p) => p.from >= 0 || !fresh.some((f) => f.from < 0 && f.result.kind === p.result.kind)), ...fresh];
    this.byUri.set(uri, { text, placed });
    this.views.delete(uri);
  }

  clear(uri: string): void {
    this.byUri.delete(uri);
    this.views.delete(uri);
  }

  /** Every result, placed in `text` (cached per text). */
  place(uri: string, text: string): Placed[] {
    const e = this.byUri.get(uri);
    if (!e) return [];
    if (e.text === text) return e.placed;
    const v = this.views.get(uri);
    if (v?.text === text) return v.placed;
    const map = lineMapping(e.text, text);
    const placed = e.placed.map((p) => {
      if (p.from < 0) return p;
      const at = locate(map, p.from, p.to);
      return { ...p, from: at.line, to: at.line + (p.to - p.from), stale: p.stale || at.stale };
    });
    this.views.set(uri, { text, placed });
    return placed;
  }

  /** The result of the statement spanning 0-based lines [from, to] of `text`. */
  at(uri: string, text: string, from: number, to: number): Placed | undefined {
    return this.place(uri, text).find((p) => p.from >= from && p.from <= to);
  }

  estimationAt(uri: string, text: string, from: number, to: number): Placed | undefined {
    return this.place(uri, text).find((p) => p.result.kind === 'estimation' && p.from >= from && p.from <= to);
  }

  model(uri: string, text: string, name: string): Placed | undefined {
    return this.place(uri, text).find((p) => p.result.kind === 'estimation' && p.result.name === name);
  }
}

/** The line of a hover that says a result no longer matches its text. */
export const STALE_NOTE = '⚠ **Stale**: this statement changed since it ran; run it again to update these results.';

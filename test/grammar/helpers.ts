// Shared helpers for the grammar tests.
import { parse, type Program, type Statement } from '../../grammar/src/index';

/** Drops every range field, so that tests can compare structure with deepEqual. */
export function strip<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'range' || k.endsWith('Range') || k === 'comma' ? undefined : v)));
}

/** Parses text that must be error-free and returns its statements. */
export function parseOk(text: string): Statement[] {
  const p = parse(text);
  if (p.errors.length) throw new Error(`unexpected parse errors: ${JSON.stringify(p.errors.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.message}`))}`);
  return p.statements;
}

/** The single statement of a one-line spec. */
export function one(text: string): Statement {
  const s = parseOk(text);
  if (s.length !== 1) throw new Error(`expected one statement, got ${s.length}`);
  return s[0];
}

/** The source text a range covers. */
export function slice(text: string, r: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(r.start.offset, r.end.offset);
}

/** Every range in the program (walks the whole object). */
export function allRanges(p: Program): { start: { line: number; character: number; offset: number }; end: { line: number; character: number; offset: number } }[] {
  const out: ReturnType<typeof allRanges> = [];
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.start && o.end && typeof (o.start as { offset?: unknown }).offset === 'number') out.push(o as never);
    for (const k of Object.keys(o)) if (k !== 'start' && k !== 'end') walk(o[k]);
  };
  walk(p);
  return out;
}

/**
 * Runs of a property test: `base` by default (keeps the suite fast), or PANELSPEC_FUZZ_RUNS when set
 * (e.g. `PANELSPEC_FUZZ_RUNS=20000 node scripts/run-tests.mjs test/grammar` for a deep fuzz).
 */
export function fuzzRuns(base: number): number {
  const n = Number(process.env.PANELSPEC_FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : base;
}

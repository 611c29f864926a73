// Errors raised while running a spec. Each carries the source range of what failed, so the CLI can
// print FILE:LINE:COL and the editor can underline it.
import type { Range } from '../../../grammar/src/ast';

export type RunErrorKind = 'data' | 'estimation' | 'usage' | 'internal' | 'cancelled';

export class RunError extends Error {
  constructor(
    message: string,
    public range?: Range,
    public kind: RunErrorKind = 'usage',
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** Raised when a run is cancelled through its AbortSignal. */
export class CancelledError extends RunError {
  constructor() {
    super('run cancelled', undefined, 'cancelled');
    this.name = 'CancelledError';
  }
}

/** Wraps anything thrown inside a command into a RunError located at `range` (the statement's, if nothing better). */
export function toRunError(e: unknown, range: Range | undefined): RunError {
  if (e instanceof RunError) {
    if (!e.range) e.range = range;
    return e;
  }
  const err = e as { name?: string; message?: string; range?: Range };
  const name = err?.name ?? '';
  const msg = typeof err?.message === 'string' && err.message ? err.message : String(e);
  const kind: RunErrorKind =
    name === 'EstimationError' ? 'estimation' : name === 'DataError' ? 'data' : name === 'TypeError' || name === 'RangeError' || name === 'ReferenceError' ? 'internal' : 'data';
  const text = kind === 'internal' ? `internal error: ${msg}` : msg;
  return new RunError(text, err?.range ?? range, kind);
}

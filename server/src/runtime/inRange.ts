// `in FROM[/TO]`: the rows a command sees, by position in the data as it is ordered when the
// command runs (Stata's observation numbers). Negative numbers count from the end (-1 is the last
// row), `f` and `l` are the first and the last. A range past the data or backwards is an error, as
// in Stata ("observation numbers out of range"), rather than silently fewer rows.
import type { InBound, InRange } from '../../../grammar/src/ast';
import { RunError } from './errors';

/** The 0-based first and last rows (inclusive) of `r` in data of `n` rows. */
export function inRows(r: InRange, n: number): [number, number] {
  const pos = (b: InBound): number => (b === 'f' ? 1 : b === 'l' ? n : b < 0 ? n + b + 1 : b);
  const lo = pos(r.from);
  const hi = pos(r.to);
  if (lo < 1 || hi > n || lo > hi) throw new RunError(`observation numbers out of range: in ${text(r.from)}/${text(r.to)} with ${n} observations`, r.range);
  return [lo - 1, hi - 1];
}

const text = (b: InBound): string => String(b);

/** Clears the mask outside the `in` range (in place) and returns it. */
export function applyInRange(mask: Uint8Array, r: InRange | undefined): Uint8Array {
  if (!r) return mask;
  const [lo, hi] = inRows(r, mask.length);
  mask.fill(0, 0, lo);
  mask.fill(0, hi + 1);
  return mask;
}

// Absorbing fixed effects: the residual of a column after (weighted) projection on all FE dummies.
// One FE is a single exact pass. With several, the symmetric Kaczmarz sweep T (subtract group means
// FE 1..Q then Q-1..1) is self-adjoint in the W inner product, and the FE part v = x - r solves
// (I - T) v = (I - T) x; conjugate gradients on that system (reghdfe's default) converge in one step
// on balanced panels and in O(sqrt(condition)) steps on weakly connected (worker-firm) graphs, where
// plain alternating projections need O(condition).
import { DEMEAN_MAX_ITERATIONS, DEMEAN_TOLERANCE } from './defaults';
import { isCompleteGrid, isNestedIn, type SampleFactor } from './factors';
import { completeCodes } from './completeCodes';
import { AdditiveColumns } from './additiveColumns';
import { releaseColumns, takeColumn } from './bufferpool';
import { MAX_SMALL_LEVELS, SmallFeSchur } from './twoWay';
import { groupSums, wdot } from './linalg';
import { fusedForwardSweep } from './fusedSweep';

/** The warning for a column whose demeaning did not converge. */
function notConverged(name: string, r: { iterations: number; relResidual: number }, tol: number): string {
  return (
    `absorbing the fixed effects did not converge for ${name} after ${r.iterations} iterations ` +
    `(relative residual ${r.relResidual.toExponential(2)}, tolerance ${tol}); results may be inaccurate`
  );
}

export interface DemeanOptions {
  tolerance?: number; // relative; default 1e-10
  maxIterations?: number; // CG iterations per column; default 10000
  direct?: boolean; // false: never the direct solve (twoWay.ts), CG only (benches compare the two)
}

export interface DemeanResult {
  columns: Float64Array[];
  iterations: number; // max over columns
  converged: boolean;
  warnings: string[];
}

export const DEFAULT_TOLERANCE = DEMEAN_TOLERANCE;
export const DEFAULT_MAX_ITERATIONS = DEMEAN_MAX_ITERATIONS;
/** CG iterations after which a graph counts as hard (see FixedEffects.demean). */
const HARD_ITERATIONS = 20;

/** What the fused demeaning paths return besides the columns, from the same passes. */
export interface FusedExtras {
  cross: Float64Array; // cross products of the demeaned columns (p x p)
  centredSS: Float64Array; // per column: sum of squares about its mean, before demeaning
  means: Float64Array; // per column: its mean (x[0] + sum (x - x[0]) / n)
}

export class FixedEffects {
  readonly n: number;
  readonly factors: SampleFactor[];
  readonly weights: Float64Array | null;
  private readonly invSize: Float64Array[]; // 1 / (sum of weights) per level
  private readonly sums: Float64Array[];
  // CG work vectors, allocated once and reused across columns
  private work: Float64Array[] | null = null;
  /** Two unweighted FEs on a complete grid (balanced panel): demeaning is x - unit mean - time mean + grand mean. */
  readonly balanced: boolean;
  private pairSums: [Float64Array, Float64Array] | null = null;
  /** The direct solver (twoWay.ts): undefined until first needed, null when not (yet) used. */
  private schur: SmallFeSchur | null | undefined = undefined;
  /** The direct solver applies but was not built up front: build it if CG finds the graph hard. */
  private schurLater = false;
  /** See sweepOrder: null until first asked. */
  private order: number[] | null = null;
  /** See firstRuns: undefined until first asked. */
  private runs0: Int32Array | null | undefined = undefined;

  /** @param nrows rows when there is neither a factor nor weights to tell (a model without FE or constant) */
  constructor(factors: SampleFactor[], weights?: Float64Array | null, nrows?: number) {
    this.factors = factors;
    this.n = factors.length ? factors[0].codes.length : weights ? weights.length : (nrows ?? 0);
    this.weights = weights ?? null;
    for (const f of factors) {
      if (f.codes.length !== this.n) throw new RangeError(`factor ${f.name} has ${f.codes.length} rows, expected ${this.n}`);
    }
    this.invSize = factors.map((f) => {
      const s = new Float64Array(f.nlevels);
      const c = f.codes;
      const w = this.weights;
      // the coder's level sizes when the sample is all its rows (the same array), else a count
      const known = w ? null : completeCodes(c)?.counts;
      if (known && known.length === f.nlevels) for (let g = 0; g < s.length; g++) s[g] = known[g];
      else if (w) for (let i = 0; i < c.length; i++) s[c[i]] += w[i];
      else for (let i = 0; i < c.length; i++) s[c[i]] += 1;
      for (let g = 0; g < s.length; g++) s[g] = s[g] > 0 ? 1 / s[g] : 0;
      return s;
    });
    this.sums = factors.map((f) => new Float64Array(f.nlevels));
    this.balanced = factors.length === 2 && !this.weights && isCompleteGrid(factors[0], factors[1]);
  }

  get count(): number {
    return this.factors.length;
  }

  /** Demeans each column (returns new arrays; inputs untouched). */
  demeanMany(cols: Float64Array[], opts: DemeanOptions = {}, names?: string[]): DemeanResult {
    const out: Float64Array[] = [];
    let iterations = 0;
    let converged = true;
    const warnings: string[] = [];
    if (this.balanced) {
      // balanced panel: two columns per pass share the reads of the codes and the branch on them
      for (let j = 0; j < cols.length; j += 2) {
        if (cols[j].length !== this.n || (j + 1 < cols.length && cols[j + 1].length !== this.n)) throw new RangeError(`column has the wrong number of rows, expected ${this.n}`);
        if (j + 1 < cols.length) {
          const r1 = takeColumn(this.n);
          const r2 = takeColumn(this.n);
          this.demeanGridPair(cols[j], cols[j + 1], r1, r2);
          out.push(r1, r2);
        } else {
          const r = takeColumn(this.n);
          this.demeanGrid(cols[j], r);
          out.push(r);
        }
      }
      return { columns: out, iterations: 1, converged: true, warnings };
    }
    cols.forEach((c, j) => {
      const r = this.demean(c, opts);
      out.push(r.values);
      iterations = Math.max(iterations, r.iterations);
      if (!r.converged) {
        converged = false;
        warnings.push(notConverged(names?.[j] ?? `column ${j + 1}`, r, opts.tolerance ?? DEFAULT_TOLERANCE));
      }
    });
    return { columns: out, iterations, converged, warnings };
  }

  /**
   * `demeanMany` when it would take the forward sweep (two or more FEs, not balanced, no direct solve
   * up front, no weights): one fused sweep of all columns (fusedSweep.ts) that also returns their cross
   * products, means and centred sums of squares. Columns whose sweep is not exact go on through CG as
   * `demean` does (and the cross products are then recomputed). Null when the path does not apply.
   */
  demeanSweepFused(cols: Float64Array[], opts: DemeanOptions = {}, names?: string[]): ({ columns: AdditiveColumns; iterations: number; converged: boolean; warnings: string[] } & FusedExtras) | null {
    const Q = this.factors.length;
    if (Q < 2 || this.weights || this.balanced) return null;
    const direct = opts.direct !== false;
    if (direct && this.directUpFront()) return null;
    const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
    const maxIt = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    const order = this.sweepOrder();
    // (every FE but one nested in another: `absorb(g year g#year)`; demeanMany's sweep takes it)
    if (order.length < 2) return null;
    const fes = order.map((q) => ({ codes: this.factors[q].codes, inv: this.invSize[q] }));
    const s = fusedForwardSweep(cols, fes);
    const p = cols.length;
    // the swept columns as x less the sweep's tables, made where they are read
    const columns = new AdditiveColumns(cols, fes.map((f) => f.codes), s.effects);
    let iterations = 1;
    let converged = true;
    let swept = true; // every column as the sweep left it: its cross products stand
    const warnings: string[] = [];
    for (let j = 0; j < p; j++) {
      const rr = s.cross[j * p + j];
      if (this.sweepAccepted(cols[j], rr, s.offRR[j], tol)) continue;
      const r = columns.column(j);
      const d = this.afterSweep(cols[j], r, rr, s.offRR[j], tol, maxIt, direct);
      if (d.values !== r) columns.replace(j, d.values);
      iterations = Math.max(iterations, d.iterations);
      // (one iteration: CG found nothing to do and left r as it was)
      if (d.iterations > 1 || d.values !== r) swept = false;
      if (!d.converged) {
        converged = false;
        warnings.push(notConverged(names?.[j] ?? `column ${j + 1}`, d, tol));
      }
    }
    const cross = swept ? s.cross : columns.cross();
    return { columns, cross, centredSS: s.centredSS, means: s.means, iterations, converged, warnings };
  }

  /**
   * The FEs a forward sweep needs, in order: all, less each FE that a neighbour in the sweep is nested in
   * (`absorb(id year region#year)`: year is a sum of region#year dummies). That changes nothing in exact
   * arithmetic: with span(D_c) inside span(D_f), P_f P_c = P_c P_f = P_c, so (I - P_f)(I - P_c) =
   * (I - P_c)(I - P_f) = I - P_f: the sweep's result is the same, one pass over the rows cheaper.
   */
  private sweepOrder(): number[] {
    if (this.order) return this.order;
    const f = this.factors;
    const order = f.map((_, q) => q);
    for (let k = 0; k < order.length && order.length > 1; ) {
      const c = f[order[k]];
      // a finer neighbour has at least as many levels
      const finer = (m: number) => m >= 0 && m < order.length && f[order[m]].nlevels >= c.nlevels && isNestedIn(f[order[m]], c);
      if (finer(k + 1) || finer(k - 1)) {
        order.splice(k, 1);
        k = Math.max(0, k - 1); // the new neighbours may nest too
      } else k++;
    }
    return (this.order = order);
  }

  /**
   * Whether the direct solve (twoWay.ts) is used from the start; decided on first call. Up front only for
   * two FEs (unit + time: CG would take several iterations) when cheap for sure; with three or more the
   * forward sweep and CG come first (often one sweep is exact), the direct solve if CG is slow.
   */
  private directUpFront(): boolean {
    if (this.schur === undefined) {
      // all FEs but the largest with few levels together
      const K = SmallFeSchur.smallLevels(this.factors);
      const Q = this.factors.length;
      this.schur = Q === 2 && K <= MAX_SMALL_LEVELS && K ** 3 / 6 <= 40 * this.n * Q ? SmallFeSchur.build(this.factors, this.weights, this.invSize) : null;
      this.schurLater = !this.schur && K <= MAX_SMALL_LEVELS;
    }
    return this.schur !== null;
  }

  /** Demeans one column. */
  demean(x: Float64Array, opts: DemeanOptions = {}): { values: Float64Array; iterations: number; converged: boolean; relResidual: number } {
    const n = this.n;
    if (x.length !== n) throw new RangeError(`column has ${x.length} rows, expected ${n}`);
    const Q = this.factors.length;
    // outputs may come from the buffer pool: every element is written below
    if (Q < 2) {
      const r = takeColumn(n);
      r.set(x);
      if (Q === 1) this.project(0, r);
      return { values: r, iterations: Q, converged: true, relResidual: 0 };
    }
    const r = takeColumn(n);
    if (this.balanced) {
      this.demeanGrid(x, r);
      return { values: r, iterations: 1, converged: true, relResidual: 0 };
    }
    const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
    const maxIt = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
    // the direct solve when it is cheap for sure; otherwise CG goes first, and only a column CG finds
    // hard brings in the direct solve
    const direct = opts.direct !== false;
    if (direct && this.directUpFront()) return this.directSolve(x, r, tol, maxIt, 0);
    const chk = this.forwardSweep(x, r);
    return this.afterSweep(x, r, chk.rr, chk.offRR, tol, maxIt, direct);
  }

  /**
   * x's residual from r = one forward sweep of x (rr = ||r||^2, offRR its check: see forwardSweep).
   * One forward sweep is exact on balanced panels (the projections commute): accept it when the
   * result is orthogonal to every FE to rounding level; otherwise CG takes over from it (the
   * sweep moved r only within x + span(D), so demeaning r gives the same answer as demeaning x).
   */
  /** r from one forward sweep of x is x's residual: orthogonal to every FE to rounding level, or (the column lies in the FE space) rounding noise, accurate to it. */
  private sweepAccepted(x: Float64Array, rr: number, offRR: number, tol: number): boolean {
    return offRR <= (1e-3 * tol) ** 2 * rr || rr <= 1e-26 * this.dot(x, x);
  }

  private afterSweep(x: Float64Array, r: Float64Array, rr: number, offRR: number, tol: number, maxIt: number, direct: boolean): { values: Float64Array; iterations: number; converged: boolean; relResidual: number } {
    const n = this.n;
    if (this.sweepAccepted(x, rr, offRR, tol)) return { values: r, iterations: 1, converged: true, relResidual: Math.sqrt(offRR / Math.max(rr, 1e-300)) };
    if (direct && this.schur) {
      // (demeanSweepFused only: the sweeps of all columns came first, then an earlier column found the
      // graph hard and built the direct solve; `demean` takes it from the start for later columns, and
      // so does this, counting no sweep, as `demean` does. r lies in x + span(D): its projection is x's.)
      const d = this.directSolve(r, takeColumn(n), tol, maxIt, 0);
      releaseColumns([r]);
      return d;
    }
    // a hard graph (CG past HARD_ITERATIONS) switches to the direct solve when it applies
    const hardCap = direct && this.schurLater && maxIt - 1 > HARD_ITERATIONS ? HARD_ITERATIONS : maxIt - 1;
    const cg = this.conjugateGradient(r, tol, hardCap);
    if (!cg.converged && hardCap < maxIt - 1) {
      this.schurLater = false;
      this.schur = SmallFeSchur.build(this.factors, this.weights, this.invSize);
      // cg.values lies in x + span(D): its projection is x's
      if (this.schur) return this.directSolve(cg.values, takeColumn(n), tol, maxIt, cg.iterations + 1);
      const rest = this.conjugateGradient(cg.values, tol, maxIt - 1 - hardCap);
      return { values: rest.values, iterations: cg.iterations + rest.iterations + 1, converged: rest.converged, relResidual: rest.relResidual };
    }
    return { values: cg.values, iterations: cg.iterations + 1, converged: cg.converged, relResidual: cg.relResidual };
  }

  /**
   * Two FEs whose smaller one has few levels, no weights, rows grouped by the larger (a panel sorted by
   * unit): every column demeaned by the direct solve in two passes over the rows, the second one blocked
   * with the cross products (SmallFeSchur.demeanRunsMany). Null when that path does not apply (the caller goes
   * through `demeanMany`). A column whose check fails goes through `demean` from where it got to.
   */
  demeanDirectFused(cols: Float64Array[], opts: DemeanOptions = {}, names?: string[]): ({ columns: AdditiveColumns; iterations: number; converged: boolean; warnings: string[] } & FusedExtras) | null {
    if (this.factors.length !== 2 || this.weights || this.balanced || opts.direct === false) return null;
    const n = this.n;
    if (this.schur === undefined) {
      const K = SmallFeSchur.smallLevels(this.factors);
      this.schur = K <= MAX_SMALL_LEVELS && K ** 3 / 6 <= 80 * n ? SmallFeSchur.build(this.factors, this.weights, this.invSize) : null;
      this.schurLater = !this.schur && K <= MAX_SMALL_LEVELS;
    }
    const schur = this.schur;
    if (!schur || !schur.runsApply) return null;
    const tol = opts.tolerance ?? DEFAULT_TOLERANCE;
    for (const x of cols) if (x.length !== n) throw new RangeError(`column has ${x.length} rows, expected ${n}`);
    const fused = schur.demeanRunsMany(cols, tol);
    const columns = fused.demeaned;
    const p = cols.length;
    const centredSS = new Float64Array(p);
    const means = new Float64Array(p);
    let iterations = 1;
    let converged = true;
    let redone = false;
    const warnings: string[] = [];
    for (let j = 0; j < p; j++) {
      const s = fused.columns[j];
      centredSS[j] = s.centredSS;
      means[j] = s.mean;
      iterations = Math.max(iterations, Math.max(1, s.passes));
      if (s.offRR <= (1e-3 * tol) ** 2 * s.rr || s.rr <= 1e-26 * this.dot(cols[j], cols[j])) continue;
      // the check failed: r lies in x + span(D), and demeaning it gives x's residual
      const d = this.demean(columns.column(j), opts);
      columns.replace(j, d.values);
      redone = true;
      iterations = Math.max(iterations, d.iterations + Math.max(1, s.passes));
      if (!d.converged) {
        converged = false;
        warnings.push(notConverged(names?.[j] ?? `column ${j + 1}`, d, tol));
      }
    }
    const cross = redone ? columns.cross() : fused.cross;
    return { columns, cross, centredSS, means, iterations, converged, warnings };
  }

  /** The direct solve of x into r (not x), then CG if its check fails; `done` iterations already spent on this column. */
  private directSolve(x: Float64Array, r: Float64Array, tol: number, maxIt: number, done: number): { values: Float64Array; iterations: number; converged: boolean; relResidual: number } {
    const s = this.schur!.demean(x, r, tol);
    const its = done + Math.max(1, s.passes);
    if (s.offRR <= (1e-3 * tol) ** 2 * s.rr || s.rr <= 1e-26 * this.dot(x, x)) {
      return { values: r, iterations: its, converged: true, relResidual: Math.sqrt(s.offRR / Math.max(s.rr, 1e-300)) };
    }
    const cg = this.conjugateGradient(r, tol, Math.max(0, maxIt - its));
    return { values: cg.values, iterations: cg.iterations + its, converged: cg.converged, relResidual: cg.relResidual };
  }

  /** CG on (I - T) v = (I - T) x; returns x - v, written over x. */
  private conjugateGradient(x: Float64Array, tol: number, maxIt: number): { values: Float64Array; iterations: number; converged: boolean; relResidual: number } {
    const n = this.n;
    if (!this.work || this.work[0].length !== n) this.work = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    const [v, res, p, ap] = this.work;
    const w = this.weights;

    // res = b = x - T x
    res.set(x);
    this.sweep(res);
    for (let i = 0; i < n; i++) res[i] = x[i] - res[i];
    v.fill(0);
    p.set(res);
    let rr = this.dot(res, res);
    const bNorm = Math.sqrt(rr);
    const xNorm = Math.sqrt(this.dot(x, x));
    if (bNorm === 0 || bNorm <= 1e-300) return { values: x, iterations: 0, converged: true, relResidual: 0 };
    let it = 0;
    let converged = false;
    let resNorm = bNorm;
    let rNorm = xNorm;
    while (it < maxIt) {
      it++;
      // ap = p - T p
      ap.set(p);
      this.sweep(ap);
      let pAp = 0;
      if (w) for (let i = 0; i < n; i++) { const d = p[i] - ap[i]; ap[i] = d; pAp += w[i] * p[i] * d; }
      else for (let i = 0; i < n; i++) { const d = p[i] - ap[i]; ap[i] = d; pAp += p[i] * d; }
      if (!(pAp > 0)) {
        // p lies in the null space of the PSD operator up to rounding: nothing left to remove
        converged = true;
        break;
      }
      const alpha = rr / pAp;
      let rrNew = 0;
      let rs = 0; // ||x - v||^2 after the step
      if (w) {
        for (let i = 0; i < n; i++) {
          v[i] += alpha * p[i];
          const e = res[i] - alpha * ap[i];
          res[i] = e;
          rrNew += w[i] * e * e;
          const d = x[i] - v[i];
          rs += w[i] * d * d;
        }
      } else {
        for (let i = 0; i < n; i++) {
          v[i] += alpha * p[i];
          const e = res[i] - alpha * ap[i];
          res[i] = e;
          rrNew += e * e;
          const d = x[i] - v[i];
          rs += d * d;
        }
      }
      resNorm = Math.sqrt(rrNew);
      rNorm = Math.sqrt(rs);
      // relative to what is left of the column; the second test stops at rounding level when the
      // column lies (almost) in the FE space, where the first can never hold
      if (resNorm <= tol * rNorm || resNorm <= 1e-3 * tol * bNorm) {
        converged = true;
        break;
      }
      const beta = rrNew / rr;
      rr = rrNew;
      for (let i = 0; i < n; i++) p[i] = res[i] + beta * p[i];
    }
    if (!converged && resNorm <= tol * Math.max(rNorm, 1e-300)) converged = true;
    for (let i = 0; i < n; i++) x[i] -= v[i];
    return { values: x, iterations: it, converged, relResidual: resNorm / Math.max(rNorm, bNorm * 1e-3) };
  }

  /**
   * r = one forward sweep FE 1..Q applied to x (fused passes; r may be x). Returns ||r||^2 and sum over FE 1..Q-1 of
   * ||P_q r||^2 (the last FE's group means are zero by construction), both in the W norm.
   */
  forwardSweep(x: Float64Array, r: Float64Array): { rr: number; offRR: number } {
    const Q = this.factors.length;
    const w = this.weights;
    const n = r.length;
    const f = this.factors;
    // rows grouped by the first FE: its means and the subtraction in one pass (the first step below)
    const q0 = this.firstStepByRuns(x, r) ? 1 : 0;
    if (q0 === 0) {
      const c = f[0].codes;
      const s = this.sums[0];
      s.fill(0);
      groupSums(x, c, w, s);
      const inv = this.invSize[0];
      for (let g = 0; g < s.length; g++) s[g] *= inv[g];
    }
    for (let q = q0; q < Q - 1; q++) {
      const c = f[q].codes;
      const m = this.sums[q];
      const c2 = f[q + 1].codes;
      const s2 = this.sums[q + 1];
      s2.fill(0);
      subtractAndSum(q === 0 ? x : r, r, c, m, c2, w, s2); // the first pass reads x: no copy needed
      const inv = this.invSize[q + 1];
      for (let g = 0; g < s2.length; g++) s2[g] *= inv[g];
    }
    // last subtraction, fused with the check sums of FE 1..Q-1 and ||r||^2
    const m = this.sums[Q - 1];
    const c = f[Q - 1].codes;
    let rr = 0;
    if (Q === 2) {
      const c0 = f[0].codes;
      const s0 = this.sums[0];
      s0.fill(0);
      rr = subtractAndSum(r, r, c, m, c0, w, s0);
    } else if (Q === 3) {
      // one pass: the last subtraction, both check sums and ||r||^2
      const s0 = this.sums[0];
      const s1 = this.sums[1];
      s0.fill(0);
      s1.fill(0);
      rr = subtractAndSum2(r, c, m, f[0].codes, s0, f[1].codes, s1, w);
    } else {
      for (let i = 0; i < n; i++) r[i] -= m[c[i]];
      for (let q = 0; q < Q - 1; q++) {
        const cq = f[q].codes;
        const s = this.sums[q];
        s.fill(0);
        groupSums(r, cq, w, s);
      }
      rr = this.dot(r, r);
    }
    let offRR = 0;
    for (let q = 0; q < Q - 1; q++) {
      // ||P_q r||^2 = sum_g (group sum)^2 / (group weight)
      const s = this.sums[q];
      const inv = this.invSize[q];
      for (let g = 0; g < s.length; g++) offRR += s[g] * s[g] * inv[g];
    }
    return { rr, offRR };
  }

  /**
   * Balanced two-way panel: the projections commute, so r = x - P1 x - P2 x + grand mean exactly, in two
   * passes (one for both sets of group sums, one to subtract) instead of a sweep and its check.
   */
  private demeanGrid(x: Float64Array, r: Float64Array): void {
    const n = x.length;
    const c0 = this.factors[0].codes;
    const c1 = this.factors[1].codes;
    const m0 = this.sums[0];
    const m1 = this.sums[1];
    m0.fill(0);
    m1.fill(0);
    // both sets of group sums in one read of x; the first FE's accumulate in a register while its code
    // repeats (panels sorted by unit)
    if (n > 0) {
      let cur = c0[0];
      let acc = 0;
      for (let i = 0; i < n; i++) {
        const v = x[i];
        const ci = c0[i];
        if (ci !== cur) {
          m0[cur] += acc;
          cur = ci;
          acc = 0;
        }
        acc += v;
        m1[c1[i]] += v;
      }
      m0[cur] += acc;
    }
    let total = 0;
    const inv0 = this.invSize[0];
    for (let g = 0; g < m0.length; g++) {
      total += m0[g];
      m0[g] *= inv0[g];
    }
    const gm = total / n;
    const inv1 = this.invSize[1];
    // time effects as deviations from the grand mean, so that large common levels cancel first
    for (let g = 0; g < m1.length; g++) m1[g] = m1[g] * inv1[g] - gm;
    for (let i = 0; i < n; i++) r[i] = x[i] - m0[c0[i]] - m1[c1[i]];
  }

  /**
   * Balanced panel only (`balanced`): the columns demeaned, held as raw values less unit means and time
   * deviations (AdditiveColumns: made block by block where needed, never stored whole unless asked),
   * with their cross products and their centred raw sums of squares. Two passes over the data in all:
   * group sums (two columns at a time), then, block by block of rows, every column demeaned into a
   * cache-sized buffer and the block's cross products.
   */
  demeanGridFused(cols: Float64Array[]): { columns: AdditiveColumns } & FusedExtras {
    if (!this.balanced) throw new RangeError('demeanGridFused needs a balanced two-way panel');
    const p = cols.length;
    const n = this.n;
    for (const c of cols) if (c.length !== n) throw new RangeError(`column has ${c.length} rows, expected ${n}`);
    const c0 = this.factors[0].codes;
    const c1 = this.factors[1].codes;
    const U = this.factors[0].nlevels;
    const T = this.factors[1].nlevels;
    const m0 = cols.map(() => new Float64Array(U));
    const m1 = cols.map(() => new Float64Array(T));
    const centredSS = new Float64Array(p);
    const means = new Float64Array(p);
    const spare0 = new Float64Array(U);
    const spare1 = new Float64Array(T);
    const sums = new Float64Array(4);
    for (let j = 0; j < p; j += 2) {
      const two = j + 1 < p;
      // an odd last column is paired with itself, its twin's sums going to spare arrays
      sums.fill(0);
      // by blocks, the first short: V8 then optimizes the whole function, not the loop alone (thrown out at its end)
      for (let lo = 0; lo < n; ) {
        const hi = Math.min(n, lo === 0 ? 256 : lo + GRID_BLOCK);
        gridSumsPair(cols[j], two ? cols[j + 1] : cols[j], c0, c1, m0[j], two ? m0[j + 1] : spare0, m1[j], two ? m1[j + 1] : spare1, sums, lo, hi);
        lo = hi;
      }
      centredSS[j] = Math.max(0, sums[1] - (sums[0] * sums[0]) / n);
      means[j] = n ? cols[j][0] + sums[0] / n : 0;
      if (two) {
        centredSS[j + 1] = Math.max(0, sums[3] - (sums[2] * sums[2]) / n);
        means[j + 1] = cols[j + 1][0] + sums[2] / n;
      }
    }
    const inv0 = this.invSize[0];
    const inv1 = this.invSize[1];
    for (let j = 0; j < p; j++) {
      const a = m0[j];
      const b = m1[j];
      let total = 0;
      for (let g = 0; g < U; g++) {
        total += a[g];
        a[g] *= inv0[g];
      }
      const gm = total / n;
      for (let g = 0; g < T; g++) b[g] = b[g] * inv1[g] - gm;
    }
    const columns = new AdditiveColumns(cols, [c0, c1], cols.map((_, j) => [m0[j], m1[j]]));
    return { columns, cross: columns.cross(), centredSS, means };
  }

  /** `demeanGrid` for two columns at once. */
  private demeanGridPair(x: Float64Array, y: Float64Array, rx: Float64Array, ry: Float64Array): void {
    const n = x.length;
    const c0 = this.factors[0].codes;
    const c1 = this.factors[1].codes;
    const U = this.factors[0].nlevels;
    const T = this.factors[1].nlevels;
    if (!this.pairSums || this.pairSums[0].length !== 2 * U) this.pairSums = [new Float64Array(2 * U), new Float64Array(2 * T)];
    const [m0, m1] = this.pairSums; // interleaved: [x, y] per level
    m0.fill(0);
    m1.fill(0);
    if (n > 0) {
      let cur = c0[0];
      let ax = 0;
      let ay = 0;
      for (let i = 0; i < n; i++) {
        const vx = x[i];
        const vy = y[i];
        const ci = c0[i];
        if (ci !== cur) {
          m0[2 * cur] += ax;
          m0[2 * cur + 1] += ay;
          cur = ci;
          ax = 0;
          ay = 0;
        }
        ax += vx;
        ay += vy;
        const t = 2 * c1[i];
        m1[t] += vx;
        m1[t + 1] += vy;
      }
      m0[2 * cur] += ax;
      m0[2 * cur + 1] += ay;
    }
    let tx = 0;
    let ty = 0;
    const inv0 = this.invSize[0];
    for (let g = 0; g < U; g++) {
      tx += m0[2 * g];
      ty += m0[2 * g + 1];
      m0[2 * g] *= inv0[g];
      m0[2 * g + 1] *= inv0[g];
    }
    const gx = tx / n;
    const gy = ty / n;
    const inv1 = this.invSize[1];
    for (let g = 0; g < T; g++) {
      m1[2 * g] = m1[2 * g] * inv1[g] - gx;
      m1[2 * g + 1] = m1[2 * g + 1] * inv1[g] - gy;
    }
    for (let i = 0; i < n; i++) {
      const a = 2 * c0[i];
      const b = 2 * c1[i];
      rx[i] = x[i] - m0[a] - m1[b];
      ry[i] = y[i] - m0[a + 1] - m1[b + 1];
    }
  }

  /**
   * When the first FE's rows are contiguous (a panel sorted by unit; two or more FEs): r = src less its
   * first-FE group means, and the second FE's group means of r into sums[1], in one pass (each group's
   * rows read twice while in cache) instead of two. False (nothing done) otherwise. src may be r.
   */
  private firstStepByRuns(src: Float64Array, r: Float64Array): boolean {
    if (this.factors.length < 2) return false;
    const start = this.firstRuns();
    if (!start) return false;
    const s2 = this.sums[1];
    s2.fill(0);
    runsMeanSubtractSum(src, r, start, this.invSize[0], this.factors[1].codes, this.weights, s2);
    const inv = this.invSize[1];
    for (let g = 0; g < s2.length; g++) s2[g] *= inv[g];
    return true;
  }

  /** First row of each level of the first FE when its rows are contiguous (codes 0, 0, 1, 1, 1, 2 ...), else null; found on first use. */
  private firstRuns(): Int32Array | null {
    if (this.runs0 !== undefined) return this.runs0;
    const f = this.factors[0];
    const c = f.codes;
    const n = c.length;
    let ok = n > 0 && c[0] === 0 && c[n - 1] === f.nlevels - 1;
    for (let i = 1; i < n && ok; i++) {
      const d = c[i] - c[i - 1];
      ok = d === 0 || d === 1;
    }
    if (!ok) return (this.runs0 = null);
    const start = new Int32Array(f.nlevels + 1);
    for (let i = 0; i < n; i++) start[c[i] + 1]++;
    for (let g = 0; g < f.nlevels; g++) start[g + 1] += start[g];
    return (this.runs0 = start);
  }

  /** Weighted inner product. */
  dot(a: Float64Array, b: Float64Array): number {
    return wdot(a, b, this.weights);
  }

  /** In place: subtract the (weighted) group means of FE q. */
  project(q: number, r: Float64Array): void {
    const c = this.factors[q].codes;
    const s = this.sums[q];
    const inv = this.invSize[q];
    const w = this.weights;
    s.fill(0);
    groupSums(r, c, w, s);
    for (let g = 0; g < s.length; g++) s[g] *= inv[g];
    for (let i = 0; i < c.length; i++) r[i] -= s[c[i]];
  }

  /**
   * In place: the symmetric sweep FE 1, 2, ..., Q, ..., 2, 1. Consecutive projections are fused:
   * subtracting FE q's means and summing for FE q+1 happen in the same pass over the rows.
   */
  sweep(r: Float64Array): void {
    const Q = this.factors.length;
    const order: number[] = [];
    for (let q = 0; q < Q; q++) order.push(q);
    for (let q = Q - 2; q >= 0; q--) order.push(q);
    const w = this.weights;
    const n = r.length;
    // rows grouped by the first FE: the first projection and the next one's sums in one pass
    const k0 = this.firstStepByRuns(r, r) ? 1 : 0;
    if (k0 === 0) {
      // sums for the first projection
      const q = order[0];
      const c = this.factors[q].codes;
      const s = this.sums[q];
      s.fill(0);
      groupSums(r, c, w, s);
      const inv = this.invSize[q];
      for (let g = 0; g < s.length; g++) s[g] *= inv[g];
    }
    for (let k = k0; k < order.length; k++) {
      const c = this.factors[order[k]].codes;
      const m = this.sums[order[k]];
      if (k + 1 < order.length) {
        const q2 = order[k + 1];
        const c2 = this.factors[q2].codes;
        const s2 = this.sums[q2];
        s2.fill(0);
        subtractAndSum(r, r, c, m, c2, w, s2);
        const inv = this.invSize[q2];
        for (let g = 0; g < s2.length; g++) s2[g] *= inv[g];
      } else {
        for (let i = 0; i < n; i++) r[i] -= m[c[i]];
      }
    }
  }
}

/** Convenience: demean columns on the given sample factors (for the IV helper and tests). */
export function demeanColumns(
  cols: Float64Array[],
  factors: SampleFactor[],
  weights?: Float64Array | null,
  opts: DemeanOptions = {},
): DemeanResult {
  return new FixedEffects(factors, weights).demeanMany(cols, opts);
}

// Group sums accumulate in a register while the code repeats (panels sorted by unit repeat it T
// times): a scatter-add into memory for every row serializes on store-to-load forwarding.

/**
 * r = src - m[c] (src may be r) and, in the same pass, s2[g] += (w) r over rows with code c2 = g. Returns the (weighted)
 * sum of squares of the updated r.
 */
export function subtractAndSum(src: Float64Array, r: Float64Array, c: Int32Array, m: Float64Array, c2: Int32Array, w: Float64Array | null, s2: Float64Array): number {
  const n = r.length;
  if (n === 0) return 0;
  let cur = c2[0];
  let acc = 0;
  let rr = 0;
  if (w) {
    for (let i = 0; i < n; i++) {
      const v = src[i] - m[c[i]];
      r[i] = v;
      const ci = c2[i];
      if (ci !== cur) {
        s2[cur] += acc;
        cur = ci;
        acc = 0;
      }
      const wv = w[i] * v;
      acc += wv;
      rr += wv * v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = src[i] - m[c[i]];
      r[i] = v;
      const ci = c2[i];
      if (ci !== cur) {
        s2[cur] += acc;
        cur = ci;
        acc = 0;
      }
      acc += v;
      rr += v * v;
    }
  }
  s2[cur] += acc;
  return rr;
}

/**
 * Group by group of the first FE (start: first row of each group; inv: 1 / group weight): r = src less
 * its (weighted) group mean, and s2[c2] += (w) r. Each group's rows are read twice while in cache.
 */
function runsMeanSubtractSum(src: Float64Array, r: Float64Array, start: Int32Array, inv: Float64Array, c2: Int32Array, w: Float64Array | null, s2: Float64Array): void {
  const G = inv.length;
  for (let g = 0; g < G; g++) {
    const lo = start[g];
    const hi = start[g + 1];
    let sum = 0;
    if (w) for (let i = lo; i < hi; i++) sum += w[i] * src[i];
    else for (let i = lo; i < hi; i++) sum += src[i];
    const mean = sum * inv[g];
    if (w) {
      for (let i = lo; i < hi; i++) {
        const v = src[i] - mean;
        r[i] = v;
        s2[c2[i]] += w[i] * v;
      }
    } else {
      for (let i = lo; i < hi; i++) {
        const v = src[i] - mean;
        r[i] = v;
        s2[c2[i]] += v;
      }
    }
  }
}

/**
 * r -= m[c] in place and, in the same pass, sa[g] += (w) r over rows with code ca = g (accumulated in a
 * register while ca repeats), sb likewise for cb (scattered). Returns the (weighted) sum of squares of r.
 */
function subtractAndSum2(r: Float64Array, c: Int32Array, m: Float64Array, ca: Int32Array, sa: Float64Array, cb: Int32Array, sb: Float64Array, w: Float64Array | null): number {
  const n = r.length;
  if (n === 0) return 0;
  let cur = ca[0];
  let acc = 0;
  let rr = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i] - m[c[i]];
    r[i] = v;
    const ci = ca[i];
    if (ci !== cur) {
      sa[cur] += acc;
      cur = ci;
      acc = 0;
    }
    const wv = w ? w[i] * v : v;
    acc += wv;
    sb[cb[i]] += wv;
    rr += wv * v;
  }
  sa[cur] += acc;
  return rr;
}

/** Rows per call of gridSumsPair. */
const GRID_BLOCK = 1 << 15;

/**
 * Group sums of two columns by both FEs over rows lo..hi-1 in one read (the first FE's in a register
 * while its code repeats), and the shifted sums for their centred sums of squares, added to
 * sums = [S1x, S2x, S1y, S2y] with S1 = sum (v - v[0]), S2 = sum (v - v[0])^2 (shifting by the first
 * value avoids cancellation).
 */
function gridSumsPair(x: Float64Array, y: Float64Array, c0: Int32Array, c1: Int32Array, m0x: Float64Array, m0y: Float64Array, m1x: Float64Array, m1y: Float64Array, sums: Float64Array, lo: number, hi: number): void {
  if (hi <= lo) return;
  const kx = x[0];
  const ky = y[0];
  let s1x = sums[0], s2x = sums[1], s1y = sums[2], s2y = sums[3];
  let cur = c0[lo];
  let ax = 0;
  let ay = 0;
  for (let i = lo; i < hi; i++) {
    const vx = x[i];
    const vy = y[i];
    const ci = c0[i];
    if (ci !== cur) {
      m0x[cur] += ax;
      m0y[cur] += ay;
      cur = ci;
      ax = 0;
      ay = 0;
    }
    ax += vx;
    ay += vy;
    const t = c1[i];
    m1x[t] += vx;
    m1y[t] += vy;
    const dx = vx - kx;
    const dy = vy - ky;
    s1x += dx;
    s2x += dx * dx;
    s1y += dy;
    s2y += dy * dy;
  }
  m0x[cur] += ax;
  m0y[cur] += ay;
  sums[0] = s1x;
  sums[1] = s2x;
  sums[2] = s1y;
  sums[3] = s2y;
}

// R did 2.1.2's multiplier bootstrap (mboot): each call draws fresh Rademacher weights (BMisc's
// multiplier_bootstrap; DRDID's own mboot.did would use Mammen's, did does not), one per unit or,
// with a cluster variable, one per cluster applied to the cluster's mean influence function.
// Standard error = IQR of the draws / (z_.75 - z_.25) / sqrt(clusters); the uniform band's critical
// value = the 95% quantile of the sup-t over the columns. Quantiles are R's type 1.
import { Rng } from '../../study/rng';

const IQR_NORMAL = 1.3489795003921634; // qnorm(.75) - qnorm(.25)
const TINY = Math.sqrt(2.220446049250313e-16) * 10;

/** R's quantile(x, p, type = 1) of sorted values. */
export function quantileType1(sorted: Float64Array, p: number): number {
  const N = sorted.length;
  const np = N * p;
  const j = Math.floor(np + 4 * 2.220446049250313e-16);
  const idx = np > j ? j + 1 : j;
  return sorted[Math.min(N, Math.max(1, idx)) - 1];
}

export class MultiplierBootstrap {
  private readonly rng: Rng;
  /** groups: unit -> draw index (the unit itself, or its cluster) */
  constructor(
    private readonly n: number,
    readonly reps: number,
    seed: number,
    private readonly clusterOf: Int32Array | null,
    readonly nClusters: number,
  ) {
    this.rng = new Rng(seed);
  }

  /** Influence functions averaged within clusters (or as they are). */
  private collapse(inf: Float64Array): Float64Array {
    if (!this.clusterOf) return inf;
    const sum = new Float64Array(this.nClusters);
    const size = new Float64Array(this.nClusters);
    for (let u = 0; u < this.n; u++) {
      sum[this.clusterOf[u]] += inf[u];
      size[this.clusterOf[u]]++;
    }
    for (let c = 0; c < this.nClusters; c++) sum[c] /= size[c];
    return sum;
  }

  /** Bootstrap standard errors (null: degenerate column) and the sup-t critical value at level 1 - alpha. */
  run(cols: Float64Array[], alpha = 0.05): { se: (number | null)[]; crit: number } {
    const m = this.clusterOf ? this.nClusters : this.n;
    const K = cols.length;
    const psi = cols.map((c) => this.collapse(c));
    const draws = cols.map(() => new Float64Array(this.reps));
    const v = new Float64Array(m);
    const scale = Math.sqrt(m) / m;
    for (let b = 0; b < this.reps; b++) {
      // Rademacher signs, 32 per random word
      for (let i = 0; i < m; i += 32) {
        let bits = this.rng.nextU32();
        const end = Math.min(m, i + 32);
        for (let j = i; j < end; j++, bits >>>= 1) v[j] = bits & 1 ? 1 : -1;
      }
      for (let k = 0; k < K; k++) {
        const p = psi[k];
        let s = 0;
        for (let i = 0; i < m; i++) s += v[i] * p[i];
        draws[k][b] = scale * s;
      }
    }
    const sigma = draws.map((d) => {
      let ss = 0;
      for (const x of d) ss += x * x;
      if (!(ss > TINY)) return null;
      const s = Float64Array.from(d).sort();
      return (quantileType1(s, 0.75) - quantileType1(s, 0.25)) / IQR_NORMAL;
    });
    const supT: number[] = [];
    for (let b = 0; b < this.reps; b++) {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        const sg = sigma[k];
        if (sg !== null && sg > TINY) mx = Math.max(mx, Math.abs(draws[k][b] / sg));
      }
      if (Number.isFinite(mx)) supT.push(mx);
    }
    const crit = supT.length ? quantileType1(Float64Array.from(supT).sort(), 1 - alpha) : NaN;
    return { se: sigma.map((s) => (s === null ? null : s / Math.sqrt(m))), crit };
  }
}

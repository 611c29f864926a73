// A small seeded PRNG so that a placebo / sample draw is identical on every machine and Node version
// (Math.random cannot be seeded). Algorithm: xoshiro128** (Blackman & Vigna 2018), 32-bit state
// words updated with Math.imul and unsigned shifts; the 128-bit state is filled from the seed by
// splitmix32 (so nearby seeds give unrelated streams). Doubles take 53 random bits from two outputs.

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`invalid seed ${seed}`);
    // fold any number (negative, > 2^32, fractional) into 32 bits deterministically
    let x = (Math.floor(Math.abs(seed)) % 4294967296) >>> 0;
    if (seed < 0) x = (x ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the given raw state (tests compare with published xoshiro128** outputs). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Rng {
    const r = new Rng(0);
    r.s0 = s0 >>> 0;
    r.s1 = s1 >>> 0;
    r.s2 = s2 >>> 0;
    r.s3 = s3 >>> 0;
    return r;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in 0..n-1. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  /** m distinct indices from 0..n-1 (partial Fisher-Yates on a scratch array). */
  sample(n: number, m: number, scratch?: Int32Array): Int32Array {
    if (m > n) throw new Error(`cannot draw ${m} distinct items from ${n}`);
    const a = scratch && scratch.length === n ? scratch : new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = 0; i < m; i++) {
      const j = i + this.int(n - i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a.slice(0, m);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

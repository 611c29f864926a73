// A map whose past states stay readable. The checker keeps the scope before every statement; a
// full copy per `gen` made a 10,000-line spec quadratic (53 s, 2.2 GB). Here every change is logged
// once per key, and a snapshot is a version number: reading an old state is a binary search in
// that key's log, so building all snapshots is linear in the number of changes.

interface KeyLog<V> {
  /** Versions at which the key changed, ascending. */
  versions: number[];
  /** The value from that version on (undefined: deleted). */
  values: (V | undefined)[];
  /** Version at which the key's current stretch of presence began (gives Map's insertion order). */
  born: number[];
}

interface Log<K, V> {
  keys: Map<K, KeyLog<V>>;
  /** The live state (reads of the newest version are plain Map reads). */
  current: Map<K, V>;
  version: number;
  /** Size after each version. */
  sizes: number[];
}

export class VersionedMap<K, V> implements ReadonlyMap<K, V> {
  private constructor(
    private readonly log: Log<K, V>,
    /** null: the live map (writable); a number: a frozen view of that version. */
    private readonly at: number | null,
  ) {}

  static create<K, V>(): VersionedMap<K, V> {
    return new VersionedMap<K, V>({ keys: new Map(), current: new Map(), version: 0, sizes: [0] }, null);
  }

  /** A read-only view of the map as it is now; later writes do not show in it. */
  snapshot(): VersionedMap<K, V> {
    return new VersionedMap(this.log, this.log.version);
  }

  set(key: K, value: V): this {
    const log = this.writable();
    const had = log.current.has(key);
    log.version++;
    log.current.set(key, value);
    let k = log.keys.get(key);
    if (!k) log.keys.set(key, (k = { versions: [], values: [], born: [] }));
    k.versions.push(log.version);
    k.values.push(value);
    k.born.push(had ? k.born[k.born.length - 1] : log.version);
    log.sizes.push(log.current.size);
    return this;
  }

  delete(key: K): boolean {
    const log = this.writable();
    if (!log.current.has(key)) return false;
    log.version++;
    log.current.delete(key);
    const k = log.keys.get(key)!;
    k.versions.push(log.version);
    k.values.push(undefined);
    k.born.push(log.version);
    log.sizes.push(log.current.size);
    return true;
  }

  get(key: K): V | undefined {
    if (this.at === null) return this.log.current.get(key);
    const k = this.log.keys.get(key);
    if (!k) return undefined;
    const i = lastAtOrBefore(k.versions, this.at);
    return i < 0 ? undefined : k.values[i];
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.at === null ? this.log.current.size : this.log.sizes[this.at];
  }

  *entries(): MapIterator<[K, V]> {
    if (this.at === null) {
      yield* this.log.current.entries();
      return;
    }
    // Map order: by when each present key last became present
    const live: { key: K; value: V; born: number }[] = [];
    for (const [key, k] of this.log.keys) {
      const i = lastAtOrBefore(k.versions, this.at);
      if (i >= 0 && k.values[i] !== undefined) live.push({ key, value: k.values[i] as V, born: k.born[i] });
    }
    live.sort((a, b) => a.born - b.born);
    for (const x of live) yield [x.key, x.value];
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }

  private writable(): Log<K, V> {
    if (this.at !== null) throw new Error('a snapshot of a VersionedMap is read-only');
    return this.log;
  }
}

function lastAtOrBefore(versions: number[], at: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

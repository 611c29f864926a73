// Client settings under `panelspec.*` that the server reads.
import { DEFAULT_STARS } from '../results/format';
import type { LazyRunSettings } from '../runtime/protocol';

export interface ServerSettings {
  inlayHints: { enabled: boolean };
  diagnostics: { delayMs: number };
  /** p thresholds of significance stars, loosest first (`panelspec.stars`). */
  stars: readonly number[];
  /** Lazy data: `panelspec.lazyThresholdBytes`, `panelspec.duckdb.memoryLimit`, `panelspec.duckdb.tempDirectory` (unset: defaults). */
  lazy: LazyRunSettings;
}

export const DEFAULT_SETTINGS: ServerSettings = { inlayHints: { enabled: false }, diagnostics: { delayMs: 150 }, stars: DEFAULT_STARS, lazy: {} };

/** Merges whatever the client sent (any shape) over `base`, ignoring missing values and wrong types. */
export function readSettings(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const inlay = r.inlayHints?.enabled;
  const delay = r.diagnostics?.delayMs;
  const stars = r.stars;
  const starsOk = Array.isArray(stars) && stars.length > 0 && stars.every((p: unknown) => typeof p === 'number' && p > 0 && p < 1);
  return {
    stars: starsOk ? [...stars].sort((a: number, b: number) => b - a) : base.stars,
    inlayHints: { enabled: typeof inlay === 'boolean' ? inlay : base.inlayHints.enabled },
    diagnostics: { delayMs: typeof delay === 'number' && delay >= 0 && delay < 10000 ? delay : base.diagnostics.delayMs },
    lazy: readLazy(r, base.lazy),
  };
}

/** Lazy data settings: a threshold in bytes (>= 0), DuckDB sizes such as "3GB", a folder; '' or a wrong type keeps the default. */
function readLazy(r: Record<string, any>, base: LazyRunSettings): LazyRunSettings {
  const t = r.lazyThresholdBytes;
  const mem = r.duckdb?.memoryLimit;
  const tmp = r.duckdb?.tempDirectory;
  const out: LazyRunSettings = { ...base };
  if (typeof t === 'number' && t >= 0 && Number.isFinite(t)) out.thresholdBytes = t;
  if (typeof mem === 'string') out.memoryLimit = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(mem.trim()) ? mem.trim() : undefined;
  if (typeof tmp === 'string') out.tempDirectory = tmp.trim() || undefined;
  return out;
}

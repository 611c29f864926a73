// Client settings under `panelspec.*` that the server reads.
import { DEFAULT_STARS } from '../results/format';

export interface ServerSettings {
  inlayHints: { enabled: boolean };
  diagnostics: { delayMs: number };
  /** p thresholds of significance stars, loosest first (`panelspec.stars`). */
  stars: readonly number[];
}

export const DEFAULT_SETTINGS: ServerSettings = { inlayHints: { enabled: false }, diagnostics: { delayMs: 150 }, stars: DEFAULT_STARS };

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
  };
}

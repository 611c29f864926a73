// Client settings under `panelspec.*` that the server reads.
export interface ServerSettings {
  inlayHints: { enabled: boolean };
  diagnostics: { delayMs: number };
}

export const DEFAULT_SETTINGS: ServerSettings = { inlayHints: { enabled: false }, diagnostics: { delayMs: 150 } };

/** Merges whatever the client sent (any shape) over `base`, ignoring missing values and wrong types. */
export function readSettings(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const inlay = r.inlayHints?.enabled;
  const delay = r.diagnostics?.delayMs;
  return {
    inlayHints: { enabled: typeof inlay === 'boolean' ? inlay : base.inlayHints.enabled },
    diagnostics: { delayMs: typeof delay === 'number' && delay >= 0 && delay < 10000 ? delay : base.diagnostics.delayMs },
  };
}

// Client settings under `panelspec.*` that the server reads.
export interface ServerSettings {
  inlayHints: { enabled: boolean };
  diagnostics: { delayMs: number };
}

export const DEFAULT_SETTINGS: ServerSettings = { inlayHints: { enabled: false }, diagnostics: { delayMs: 150 } };

/** Merges whatever the client sent (any shape) over the defaults, ignoring wrong types. */
export function readSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, any>;
  const inlay = r.inlayHints?.enabled;
  const delay = r.diagnostics?.delayMs;
  return {
    inlayHints: { enabled: typeof inlay === 'boolean' ? inlay : DEFAULT_SETTINGS.inlayHints.enabled },
    diagnostics: { delayMs: typeof delay === 'number' && delay >= 0 && delay < 10000 ? delay : DEFAULT_SETTINGS.diagnostics.delayMs },
  };
}

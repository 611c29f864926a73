// PanelSpec's settings, read through a getter so the parsing is testable without VS Code.

import * as path from 'node:path';
import { DEFAULT_DECIMALS, DEFAULT_STARS, clampDecimals, normalizeStars } from '../../server/src/results/format';

export interface PanelSpecSettings {
  stars: number[]; // thresholds, loosest first
  decimals: number;
  inlayHintsEnabled: boolean;
  outputFolder: string; // '' = next to the spec
  plotWidth: number; // pixels of a plot saved as PNG from the panel (height by the plot's aspect)
  historyMaxRuns: number; // runs kept per spec in the results history (0: none)
}

export const DEFAULT_HISTORY_MAX_RUNS = 50;

function maxRunsOf(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000 ? v : DEFAULT_HISTORY_MAX_RUNS;
}

export const DEFAULT_PLOT_WIDTH = 2400;

function plotWidthOf(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 10000 ? v : DEFAULT_PLOT_WIDTH;
}

export const SETTINGS_SECTION = 'panelspec';

/** `get(key)` returns the raw setting under `panelspec.` (undefined when unset). */
export function readSettings(get: (key: string) => unknown): PanelSpecSettings {
  const folder = get('outputFolder');
  return {
    stars: normalizeStars(get('stars') ?? DEFAULT_STARS),
    decimals: clampDecimals(get('decimals') ?? DEFAULT_DECIMALS),
    inlayHintsEnabled: get('inlayHints.enabled') === true,
    outputFolder: typeof folder === 'string' ? folder.trim() : '',
    plotWidth: plotWidthOf(get('plotExport.width')),
    historyMaxRuns: maxRunsOf(get('history.maxRuns')),
  };
}

/** Settings that change how the results panel draws (a change re-renders it). */
export const DISPLAY_KEYS = ['panelspec.stars', 'panelspec.decimals'] as const;

/**
 * Where export dialogs start: `panelspec.outputFolder` if absolute, relative to the spec's
 * workspace folder if relative (or the spec's folder outside a workspace), else the spec's folder.
 */
export function defaultExportDir(specPath: string, workspaceFolder: string | undefined, outputFolder: string): string {
  const specDir = path.dirname(specPath);
  if (!outputFolder) return specDir;
  if (path.isAbsolute(outputFolder)) return outputFolder;
  return path.resolve(workspaceFolder ?? specDir, outputFolder);
}

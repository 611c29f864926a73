// Small helpers for the extension-host suite: polling (the language server answers
// asynchronously), reading the sample data's header, and finding numbers in rendered text.
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';

export const EXT_ID = 'panelspec.panelspec';
export const LANGUAGE_ID = 'panelspec';

/** Polls `probe` until it returns something other than undefined/false, or fails with `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  describeLast?: () => string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > until) {
      const last = describeLast ? `; last seen: ${describeLast()}` : '';
      const err = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last}${err}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open (the fixture copy of samples/ should be)');
  return f.uri;
}

/** Writes `text` to a new file in the fixture workspace and opens it in an editor. */
export async function openScratch(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

/**
 * Variable names of a CSV as PanelSpec sees them: the header row, with the names that are
 * already valid identifiers (renamed ones are left out: the test need not re-implement renaming).
 */
export function csvVariables(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const header = text.slice(0, text.indexOf('\n')).replace(/\r$/, '').replace(/^\uFEFF/, '');
  return header
    .split(',')
    .map((h) => h.trim().replace(/^"(.*)"$/, '$1'))
    .filter((h) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(h));
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/**
 * True if `text` shows `value` at the precision it prints: some number in the text, with d
 * decimals, is within half a unit of its last digit of `value` (so 0.0412 matches 0.041213...).
 * Scientific notation (1.2e-05) is understood. At least 2 significant digits are required.
 */
export function showsNumber(text: string, value: number): boolean {
  const re = /[-\u2212]?\d+(?:\.(\d+))?(?:[eE]([-+]?\d+))?/g;
  for (const m of text.matchAll(re)) {
    const token = m[0].replace('\u2212', '-');
    const shown = Number(token);
    if (!Number.isFinite(shown)) continue;
    const decimals = (m[1]?.length ?? 0) - Number(m[2] ?? 0);
    const digits = token.replace(/[-.]|[eE].*$/g, '').replace(/^0+/, '').length;
    if (digits < 2 && Math.abs(value) >= 1e-12) continue;
    const halfUnit = 0.5 * 10 ** -decimals;
    if (Math.abs(shown - value) <= halfUnit * (1 + 1e-9)) return true;
  }
  return false;
}

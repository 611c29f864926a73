// Saving tables and plots: a save dialog starting in the export folder, then the bytes written
// through VS Code's file system API (works for remote workspaces too).

import * as vscode from 'vscode';
import * as path from 'node:path';
import { FORMAT_EXTENSION, FORMAT_LABEL, TABLE_FORMATS, type TableFormat, renderTables } from '../../server/src/results/render/index';
import type { TableModel } from '../../server/src/results/tableModel';
import { defaultExportDir, readSettings } from './settings';
import { fileStem } from './panelModel';

export function exportStartDir(specUri: string): vscode.Uri | undefined {
  let spec: vscode.Uri;
  try {
    spec = vscode.Uri.parse(specUri, true);
  } catch {
    return undefined;
  }
  if (spec.scheme !== 'file') return vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = vscode.workspace.getWorkspaceFolder(spec)?.uri.fsPath;
  const settings = readSettings((k) => vscode.workspace.getConfiguration('panelspec', spec).get(k));
  return vscode.Uri.file(defaultExportDir(spec.fsPath, folder, settings.outputFolder));
}

export async function pickFormat(): Promise<TableFormat | undefined> {
  const items = TABLE_FORMATS.filter((f) => f !== 'text').map((f) => ({ label: FORMAT_LABEL[f], description: `.${FORMAT_EXTENSION[f]}`, format: f }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Export table as', placeHolder: 'Format' });
  return picked?.format;
}

/** Asks where to save, then writes. Returns the file written, or undefined when cancelled. */
export async function saveWithDialog(bytes: Uint8Array, specUri: string, stem: string, ext: string, filterName: string): Promise<vscode.Uri | undefined> {
  const dir = exportStartDir(specUri);
  const target = await vscode.window.showSaveDialog({
    defaultUri: dir ? vscode.Uri.joinPath(dir, `${stem}.${ext}`) : undefined,
    filters: { [filterName]: [ext] },
    title: `Save ${filterName}`,
  });
  if (!target) return undefined;
  if (target.scheme === 'file') await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(target.fsPath)));
  await vscode.workspace.fs.writeFile(target, bytes);
  return target;
}

export async function saveTable(model: TableModel, format: TableFormat, specUri: string, title: string): Promise<vscode.Uri | undefined> {
  return saveTables([model], format, specUri, fileStem(title));
}

/** Several tables in one file (one document for Word and HTML, one after the other otherwise). */
export async function saveTables(models: TableModel[], format: TableFormat, specUri: string, stem: string): Promise<vscode.Uri | undefined> {
  const content = await renderTables(models, format);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : new Uint8Array(content);
  return saveWithDialog(bytes, specUri, stem, FORMAT_EXTENSION[format], FORMAT_LABEL[format]);
}

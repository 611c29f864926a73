// PanelSpec: Help on Command: the command at the cursor (or one picked from the list, or the one a
// `help COMMAND` lens names) shown on its help page, in one reused webview beside the editor.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { allCommands, resolveCommand, type CommandSpec } from '../../grammar/src/commands';
import { buildHelpPage } from './webview/helpPage';

export const HELP_VIEW_TYPE = 'panelspec.help';
let panel: vscode.WebviewPanel | undefined;

/** The command a word names (full name, abbreviation, alias), if any. */
export function commandNamed(word: string | undefined): CommandSpec | undefined {
  return word ? resolveCommand(word.toLowerCase()) : undefined;
}

export async function showHelp(arg?: unknown): Promise<void> {
  let spec = typeof arg === 'string' ? commandNamed(arg) : undefined;
  if (!spec) {
    const ed = vscode.window.activeTextEditor;
    if (ed && ed.document.languageId === 'panelspec') {
      const line = ed.document.lineAt(ed.selection.active.line).text;
      // `help reghdfe` on the line names the command; else the word at the cursor, else the line's command
      const helpLine = /^\s*help\s+(\w+)/.exec(line)?.[1];
      const range = ed.document.getWordRangeAtPosition(ed.selection.active);
      const word = range ? ed.document.getText(range) : undefined;
      const first = /^\s*(?:\w+\s*:\s*)?(\w+)/.exec(line)?.[1];
      spec = commandNamed(helpLine) ?? commandNamed(word) ?? commandNamed(first);
    }
  }
  if (!spec) {
    const picked = await vscode.window.showQuickPick(
      allCommands().map((c) => ({ label: c.name, description: c.syntax })),
      { title: 'PanelSpec: Help on Command', placeHolder: 'Command' },
    );
    spec = commandNamed(picked?.label);
  }
  if (!spec) return;
  if (!panel) {
    panel = vscode.window.createWebviewPanel(HELP_VIEW_TYPE, 'PanelSpec Help', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: [] });
    panel.onDidDispose(() => (panel = undefined));
  } else panel.reveal(panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  panel.title = `help ${spec.name}`;
  panel.webview.html = buildHelpPage(spec, { cspSource: panel.webview.cspSource, nonce: randomBytes(18).toString('base64') });
}

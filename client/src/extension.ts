// PanelSpec's VS Code entry point: output channel, language server, results panel (restored
// after reloads), commands, settings and workspace-trust wiring.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { RESTORE_NOTIFICATION, parseResultsParams } from './protocol';
import { ResultsPanel } from './resultsPanel';
import { RunTracker } from './runTracker';
import { ServerController } from './serverController';
import { DISPLAY_KEYS, SETTINGS_SECTION, readSettings } from './settings';

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('PanelSpec', { log: true });
  const settings = () => readSettings((k) => vscode.workspace.getConfiguration(SETTINGS_SECTION).get(k));
  const panel = new ResultsPanel(log, settings);
  const runs = new RunTracker();

  server = new ServerController(context, log, (raw) => {
    const params = parseResultsParams(raw);
    if (!params) {
      log.warn('ignored a malformed panelspec/results notification');
      return;
    }
    if (params.error) log.error(`${params.uri}:${params.error.line + 1}:${params.error.character + 1}: ${params.error.message}`);
    // A one-statement run merges into the panel; the server marks it with `line`.
    const partial = runs.notified(params.uri) || params.line !== undefined;
    panel.applyResults(params, partial);
  }, (client) => {
    // a new server knows no results: hand it those the panel shows, on the spec's current text
    const restore = panel.restoreParams((uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText());
    if (restore) void client.sendNotification(RESTORE_NOTIFICATION, restore).catch(() => undefined);
  });

  context.subscriptions.push(
    log,
    panel,
    server,
    panel.registerSerializer(),
    ...registerCommands({ server, panel, runs, log }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void server?.trustGranted()),
    vscode.workspace.onDidChangeTextDocument((e) => panel.specChanged(e.document.uri.toString(), () => e.document.getText())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (DISPLAY_KEYS.some((k) => e.affectsConfiguration(k))) panel.refresh();
    }),
  );

  if (!vscode.workspace.isTrusted) log.info('Restricted Mode: specs are checked but not run until the folder is trusted.');
  await server.ready();
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

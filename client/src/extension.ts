// PanelSpec's VS Code entry point: output channel, language server, results panel (restored
// after reloads), commands, settings and workspace-trust wiring.

import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { RESTORE_NOTIFICATION, parseResultsParams } from './protocol';
import { ResultsPanel } from './resultsPanel';
import { RunTracker } from './runTracker';
import { ServerController } from './serverController';
import { DISPLAY_KEYS, SETTINGS_SECTION, readSettings } from './settings';
import { RunHistory } from './history/runHistory';

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('PanelSpec', { log: true });
  const settings = () => readSettings((k) => vscode.workspace.getConfiguration(SETTINGS_SECTION).get(k));
  const history = openHistory(context, log, () => settings().historyMaxRuns);
  const panel = new ResultsPanel(log, settings, history);
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
    void history?.record(params);
  }, (client) => {
    // a new server knows no results: hand it those the panels show, on each spec's current text
    const restore = panel.restoreParams((uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.getText());
    for (const r of restore) void client.sendNotification(RESTORE_NOTIFICATION, r).catch(() => undefined);
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

/**
 * The results history, in the extension's storage for this workspace (globalStorage without a
 * folder): VS Code's place for an extension's per-workspace state, never the user's data folder.
 */
function openHistory(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, maxRuns: () => number): RunHistory | undefined {
  const base = context.storageUri ?? context.globalStorageUri;
  if (!base || base.scheme !== 'file') {
    log.info('results history off: the extension storage is not on the local file system');
    return undefined;
  }
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? 'unknown');
  const specPath = (uri: string) => {
    const u = vscode.Uri.parse(uri, true);
    return u.scheme === 'file' ? u.fsPath : undefined;
  };
  return new RunHistory(vscode.Uri.joinPath(base, 'history').fsPath, maxRuns, version, log, specPath);
}

export async function deactivate(): Promise<void> {
  await server?.stop();
  server = undefined;
}

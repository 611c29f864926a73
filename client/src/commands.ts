// The PanelSpec commands: run the file or the statement at the cursor (through the server's
// `panelspec.run`), show the results, export a table, restart the server.

import * as vscode from 'vscode';
import type { RunOutput } from '../../server/src/results/types';
import { Commands, LANGUAGE_ID, type RunParams, type RunReply, SERVER_RUN_COMMAND } from './protocol';
import type { ResultsPanel } from './resultsPanel';
import type { RunTracker } from './runTracker';
import type { ServerController } from './serverController';
import { type GuardedAction, MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL, untrustedMessage } from './trust';
import { openDataViewer } from './dataViewer';
import { showHelp } from './helpPanel';

export interface CommandDeps {
  server: ServerController;
  panel: ResultsPanel;
  runs: RunTracker;
  log: vscode.LogOutputChannel;
}

/** Runs in progress, by spec: Stop Run cancels their requests (the server aborts at the next statement or step). */
const inProgress = new Map<string, vscode.CancellationTokenSource>();

function setRunningContext(): void {
  void vscode.commands.executeCommand('setContext', 'panelspec.running', inProgress.size > 0);
}

export function stopRuns(log: vscode.LogOutputChannel): number {
  const n = inProgress.size;
  for (const [uri, cts] of inProgress) {
    log.info(`stop ${uri}`);
    cts.cancel();
  }
  return n;
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.help, (arg?: unknown) => showHelp(arg)),
    vscode.commands.registerCommand(Commands.stopRun, () => {
      if (!stopRuns(deps.log)) vscode.window.setStatusBarMessage('PanelSpec: no run in progress', 3000);
    }),
    vscode.commands.registerCommand(Commands.runFile, (arg?: unknown) => runSpec(deps, targetUri(arg), undefined)),
    vscode.commands.registerCommand(Commands.runLine, (arg?: unknown, lineArg?: unknown) => {
      const { uri, line } = lineTarget(arg, lineArg);
      return runSpec(deps, uri, line);
    }),
    vscode.commands.registerCommand(Commands.showResults, () => deps.panel.show(false)),
    vscode.commands.registerCommand(Commands.showHistory, () => deps.panel.showHistory()),
    vscode.commands.registerCommand(Commands.exportTable, () => deps.panel.exportTable()),
    vscode.commands.registerCommand(Commands.openDataViewer, (arg?: unknown, lineArg?: unknown) => {
      if (!requireTrust('dataViewer')) return;
      const uri = targetUri(arg);
      if (!uri) return void vscode.window.showInformationMessage('PanelSpec: open a .pspec file to view its data.');
      // a `browse` lens: the data as the statements above that line leave them
      if (typeof lineArg === 'number' && Number.isInteger(lineArg) && lineArg >= 0) return openDataViewer(deps, uri, lineArg);
      // the data as the steps above the cursor leave them (issue: "up to the cursor")
      const ed = vscode.window.activeTextEditor;
      let line = ed && ed.document.uri.toString() === uri ? ed.selection.active.line : undefined;
      // at or below the last statement: the whole file, so that lines added at the end show too
      if (ed && line !== undefined && !ed.document.getText(new vscode.Range(line + 1, 0, ed.document.lineCount, 0)).trim()) line = undefined;
      return openDataViewer(deps, uri, line);
    }),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await deps.server.restart();
      vscode.window.setStatusBarMessage('PanelSpec: language server restarted', 3000);
    }),
  ];
}

/** The spec to act on: a uri argument (explorer, CodeLens), else the active PanelSpec editor. */
function targetUri(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.toString();
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { uri?: unknown }).uri === 'string') return (arg as { uri: string }).uri;
  const ed = vscode.window.activeTextEditor;
  return ed && ed.document.languageId === LANGUAGE_ID ? ed.document.uri.toString() : undefined;
}

/** CodeLens passes {uri, line}; a keybinding passes nothing (the cursor's line is used). */
function lineTarget(arg: unknown, lineArg: unknown): { uri?: string; line?: number } {
  if (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri)) {
    const o = arg as { uri?: unknown; line?: unknown };
    if (typeof o.uri === 'string' && typeof o.line === 'number') return { uri: o.uri, line: o.line };
  }
  if ((typeof arg === 'string' || arg instanceof vscode.Uri) && typeof lineArg === 'number') return { uri: arg.toString(), line: lineArg };
  const ed = vscode.window.activeTextEditor;
  if (ed && ed.document.languageId === LANGUAGE_ID) return { uri: ed.document.uri.toString(), line: ed.selection.active.line };
  return {};
}

function requireTrust(action: GuardedAction): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(untrustedMessage(action), MANAGE_TRUST_LABEL).then((choice) => {
    if (choice === MANAGE_TRUST_LABEL) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
  });
  return false;
}

function looksLikeRunOutput(x: unknown): x is RunOutput {
  return !!x && typeof x === 'object' && Array.isArray((x as RunOutput).results);
}

async function runSpec(deps: CommandDeps, uri: string | undefined, line: number | undefined): Promise<void> {
  if (!uri) {
    void vscode.window.showInformationMessage('PanelSpec: open a .pspec file to run it.');
    return;
  }
  if (!requireTrust('run')) return;
  const client = await deps.server.ready();
  if (!client) {
    void vscode.window.showErrorMessage('PanelSpec: the language server is not running. Run "PanelSpec: Restart Server" and see the PanelSpec output for details.');
    return;
  }
  const partial = line !== undefined;
  const params: RunParams = partial ? { uri, line } : { uri };
  const seq = deps.runs.begin(uri, partial);
  deps.panel.setRunning(uri);
  deps.log.info(`run ${uri}${partial ? ` line ${line! + 1}` : ''}`);
  inProgress.get(uri)?.cancel();
  const cts = new vscode.CancellationTokenSource();
  inProgress.set(uri, cts);
  setRunningContext();
  try {
    const res: unknown = await client.sendRequest('workspace/executeCommand', { command: SERVER_RUN_COMMAND, arguments: [params] }, cts.token);
    // The server answers with a panelspec/results notification before its reply. Without one:
    // use the reply if it is the output itself, else the run was refused.
    if (deps.runs.needsFallback(uri, seq)) {
      if (looksLikeRunOutput(res)) deps.panel.applyResults({ uri, output: res }, partial);
      else {
        deps.panel.clearRunning(uri);
        const refused = (res as RunReply | null)?.refused;
        if (refused) {
          deps.log.warn(`run refused: ${refused}`);
          void vscode.window.showWarningMessage(`PanelSpec: ${refused}`);
        }
      }
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // stopped: the server's results notification (with "run cancelled" at the line it reached) is what the panel shows
    if (cts.token.isCancellationRequested && !deps.runs.needsFallback(uri, seq)) {
      deps.log.info(`run stopped: ${uri}`);
      return;
    }
    deps.log.error(`run failed: ${message}`);
    if (deps.runs.isLatest(uri, seq)) {
      const prev = deps.panel.stateOf(uri);
      const output = prev ? prev.output : { version: 1 as const, file: '', results: [] };
      deps.panel.applyResults({ uri, output, error: { message: cts.token.isCancellationRequested ? 'run stopped' : message, line: line ?? -1, character: 0 } }, true);
    }
  } finally {
    if (inProgress.get(uri) === cts) inProgress.delete(uri);
    cts.dispose();
    setRunningContext();
  }
}

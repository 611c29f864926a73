// Starts the PanelSpec language server as exactly `node <ext>/dist/cli.js lsp --stdio` (the
// command the CLI contract documents) and connects it to VS Code.
//
// The server is spawned here rather than through ServerOptions' `module` form because that form
// always appends `--clientProcessId=<pid>`, which the CLI's `lsp` subcommand need not accept.

import * as vscode from 'vscode';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from './languageClientLib';
import { LANGUAGE_ID, TRUST_NOTIFICATION, type TrustParams } from './protocol';
import { SETTINGS_SECTION } from './settings';
import { serverCommand } from './serverCommand';

export interface ServerHandle {
  client: LanguageClient;
  /** The spawned server process, once started (to make sure it is gone after a stop). */
  process(): ChildProcess | undefined;
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): ServerHandle {
  const cli = context.asAbsolutePath('dist/cli.js');
  let child: ChildProcess | undefined;
  const serverOptions: ServerOptions = async () => {
    const { command, args, env } = serverCommand(cli);
    child = spawn(command, args, { cwd: dirname(cli), env, stdio: 'pipe', windowsHide: true });
    return child;
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE_ID, scheme: 'file' },
      { language: LANGUAGE_ID, scheme: 'untitled' },
    ],
    synchronize: { configurationSection: SETTINGS_SECTION },
    outputChannel: output,
    // Read at every (re)start, so a restart after granting trust starts trusted.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, settings: plainSettings() }),
  };
  // The id `panelspec` makes the client honour the `panelspec.trace.server` setting.
  const client = new LanguageClient('panelspec', 'PanelSpec', serverOptions, clientOptions);
  return { client, process: () => child };
}

/** The `panelspec.*` settings as plain JSON (the configuration object also carries methods). */
function plainSettings(): unknown {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SETTINGS_SECTION)));
}

/** Tells a running server that the workspace is now trusted (runs become allowed). */
export async function notifyTrust(client: LanguageClient): Promise<void> {
  if (!client.isRunning()) return;
  const params: TrustParams = { trusted: vscode.workspace.isTrusted };
  await client.sendNotification(TRUST_NOTIFICATION, params);
}

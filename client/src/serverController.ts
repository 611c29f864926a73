// Owns the language client: starts it, restarts it, and re-attaches the results handler to
// each new client (a restart creates a fresh client, so no handler is lost or doubled).

import * as vscode from 'vscode';
import type { LanguageClient } from './languageClientLib';
import { type ServerHandle, createLanguageClient, notifyTrust } from './languageClient';
import { RESULTS_NOTIFICATION } from './protocol';

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private handle: ServerHandle | undefined;
  private starting: Promise<LanguageClient | undefined> | undefined;
  private handlers: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly onResults: (params: unknown) => void,
    private readonly onStarted: (client: LanguageClient) => void = () => undefined,
  ) {}

  /** The running client, starting it if needed; undefined when it cannot start. */
  ready(): Promise<LanguageClient | undefined> {
    if (this.client?.isRunning()) return Promise.resolve(this.client);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.ready();
  }

  async trustGranted(): Promise<void> {
    if (this.client) await notifyTrust(this.client);
  }

  async stop(): Promise<void> {
    const c = this.client;
    const proc = this.handle?.process();
    this.client = undefined;
    this.handle = undefined;
    for (const h of this.handlers.splice(0)) h.dispose();
    if (c) {
      try {
        await c.stop(2000);
      } catch (e) {
        this.log.warn(`stopping the server: ${(e as Error).message}`);
      }
      await c.dispose().catch(() => undefined);
    }
    // The server exits on the LSP exit notification; if it did not, end the process we started.
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill();
  }

  dispose(): void {
    void this.stop();
  }

  private async start(): Promise<LanguageClient | undefined> {
    const cli = this.context.asAbsolutePath('dist/cli.js');
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(cli));
    } catch {
      this.log.error(`the language server bundle is missing: ${cli} (run npm run build)`);
      void vscode.window.showErrorMessage('PanelSpec: the language server is missing (dist/cli.js). Build the extension with "npm run build".');
      return undefined;
    }
    const handle = createLanguageClient(this.context, this.log);
    const client = handle.client;
    this.handle = handle;
    this.handlers.push(client.onNotification(RESULTS_NOTIFICATION, (p: unknown) => this.onResults(p)));
    try {
      await client.start();
      this.client = client;
      this.log.info('language server started');
      this.onStarted(client);
      return client;
    } catch (e) {
      this.log.error(`the language server did not start: ${(e as Error).message}`);
      void vscode.window.showErrorMessage('PanelSpec: the language server did not start. See the PanelSpec output for details.');
      for (const h of this.handlers.splice(0)) h.dispose();
      this.handle = undefined;
      await client.dispose().catch(() => undefined);
      const proc = handle.process();
      if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill();
      return undefined;
    }
  }
}

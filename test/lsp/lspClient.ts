// A minimal LSP client for protocol tests: spawns the built server as its own process and speaks
// framed JSON-RPC over its stdin/stdout (vscode-jsonrpc), exactly as an editor would.
import { spawn, ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as RPC from '../../node_modules/vscode-jsonrpc/lib/node/main';

// vscode-jsonrpc's Node entry: types by relative path, code by the public subpath (see server/src/lsp/lspApi.ts)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const rpc = require('vscode-jsonrpc/node') as typeof RPC;
const { createMessageConnection, ProgressType, StreamMessageReader, StreamMessageWriter } = rpc;
type MessageConnection = RPC.MessageConnection;

/** The repository root: the first folder above this bundle with the project's package.json. */
function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"panelspec"/.test(readFileSync(pkg, 'utf8'))) return dir;
    dir = dirname(dir);
  }
  return join(__dirname, '..', '..', '..');
}
export const repoRoot = findRoot();

export interface Diag {
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  data?: unknown;
}

/** The server entry: the real CLI when it is built, else the test entry that calls startLanguageServer(). */
export function serverCommand(): string[] {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (existsSync(cli) && !process.env.PANELSPEC_LSP_TEST_ENTRY) return [cli, 'lsp', '--stdio'];
  return [join(repoRoot, 'out', 'test', 'lsp', 'serverEntry.js'), '--stdio'];
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Diag[]>();
  readonly notifications: { method: string; params: any }[] = [];
  readonly serverRequests: { method: string; params: any }[] = [];
  private diagWaiters: { uri: string; pred: (d: Diag[]) => boolean; resolve: (d: Diag[]) => void }[] = [];
  private versions = new Map<string, number>();
  stderr = '';
  exited: number | null = null;

  constructor(args = serverCommand()) {
    this.proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (b) => (this.stderr += b.toString()));
    this.proc.on('exit', (code) => {
      this.exited = code ?? -1;
      // fail pending requests at once instead of leaving them (and the caller) hanging
      this.conn?.dispose();
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification((method: string, params: any) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') {
        this.diagnostics.set(params.uri, params.diagnostics);
        this.diagWaiters = this.diagWaiters.filter((w) => {
          if (w.uri === params.uri && w.pred(params.diagnostics)) {
            w.resolve(params.diagnostics);
            return false;
          }
          return true;
        });
      }
    });
    // Requests from server to client (configuration, progress creation, registration): answer benignly.
    this.conn.onRequest((method: string, params: any) => {
      this.serverRequests.push({ method, params });
      // vscode-jsonrpc routes `$/progress` to per-token handlers, not to the generic one
      if (method === 'window/workDoneProgress/create')
        this.conn.onProgress(new ProgressType<any>(), params.token, (value: unknown) => {
          this.notifications.push({ method: '$/progress', params: { token: params.token, value } });
        });
      return method === 'workspace/configuration' ? [{}] : null;
    });
    this.conn.listen();
  }

  async initialize(initializationOptions: unknown = { trusted: true }, rootDir = repoRoot): Promise<any> {
    const res = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true },
        textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ['markdown'] } },
      },
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return res;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'panelspec', version: 1, text } });
  }

  /** Replaces the whole text (a full-content change is valid under incremental sync too). */
  change(uri: string, text: string): void {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  changeRange(uri: string, range: Diag['range'], text: string): void {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text }] });
  }

  /** Resolves with the next diagnostics for uri that satisfy pred (or the current ones if they already do). */
  waitDiagnostics(uri: string, pred: (d: Diag[]) => boolean = () => true, timeoutMs = 10000): Promise<Diag[]> {
    const cur = this.diagnostics.get(uri);
    if (cur && pred(cur)) return Promise.resolve(cur);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri))}\nstderr: ${this.stderr}`)), timeoutMs);
      this.diagWaiters.push({ uri, pred, resolve: (d) => (clearTimeout(t), resolve(d)) });
    });
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  completion(uri: string, line: number, character: number): Promise<any> {
    return this.request('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  }

  hover(uri: string, line: number, character: number): Promise<any> {
    return this.request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 100));
    this.conn.dispose();
    if (this.exited === null) this.proc.kill();
  }
}

/** Labels of a completion answer (CompletionItem[] or CompletionList). */
export function labels(res: any): string[] {
  const items = Array.isArray(res) ? res : res?.items ?? [];
  return items.map((i: any) => i.label);
}

/** Plain text of a hover answer. */
export function hoverText(h: any): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value ?? '';
}

// The PanelSpec language server: connection, capabilities and wiring of the providers. Every
// handler catches its own errors and logs them to the client's output channel, so a bad file or a
// provider bug never kills the server. Datasets load in the background (DatasetStore); diagnostics
// are published after a short delay and again when a dataset a document uses finishes loading.
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  ResponseError,
  ErrorCodes,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from './lspApi';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { join } from 'node:path';
import { AnalysisCache } from './documents';
import { DatasetStore } from './datasets';
import { toDiagnostics } from './diagnostics';
import { complete } from './completion';
import { hover } from './hover';
import { quickFixes } from './codeActions';
import { codeLenses } from './codeLens';
import { documentSymbols } from './documentSymbols';
import { foldingRanges } from './folding';
import { legend, semanticTokens } from './semanticTokens';
import { signatureHelp } from './signatureHelp';
import { inlayHints } from './inlayHints';
import { ResultsStore } from './resultsStore';
import { RunManager, endLineOf } from './runCommands';
import { parse } from '../../../grammar/src/index';
import { DATA_REQUEST, RESTORE_NOTIFICATION, SERVER_RUN_COMMAND, TRUST_NOTIFICATION, type RestoreParams, type RunParams, type TrustParams } from '../protocol';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { uriToPath } from './documents';
import { DataRequestError, DataViewService, type DataRequestParams } from './dataView';
import { readFileSync } from 'node:fs';
import { TwfeWarnings } from './twfeWarning';


export function startLanguageServer(): void {
  // stdio when asked (`panelspec lsp --stdio`), else the transport vscode-languageclient set up (IPC)
  const connection: Connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const log = (msg: string): void => connection.console.log(msg);
  const error = (where: string, e: unknown): void => connection.console.error(`${where}: ${(e as Error)?.stack ?? String(e)}`);

  let workspaceDir = process.cwd();
  // untrusted unless the client says otherwise: a generic client sending no options must not run specs or write files
  let trusted = false;
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let hasConfiguration = false;

  const store = new DatasetStore(undefined, log);
  const analyses = new AnalysisCache(store, () => workspaceDir);
  const results = new ResultsStore();
  const runs = new RunManager({
    connection,
    analyses,
    results,
    trusted: () => trusted,
    lazy: () => settings.lazy,
    text: (uri) => {
      const d = documents.get(uri);
      return d ? { text: d.getText(), version: d.version } : undefined;
    },
  });

  // the data viewer's pages: the spec's data steps run in a worker (or here, when they only name a
  // dataset the analysis has loaded), cached by their text
  const dataView = new DataViewService((uri) => {
    const file = uriToPath(uri);
    const d = documents.get(uri);
    if (d) return { text: d.getText(), version: d.version, file: file ?? join(workspaceDir, 'untitled.pspec') };
    if (!file) return undefined;
    try {
      return { text: readFileSync(file, 'utf8'), version: -1, file };
    } catch {
      return undefined;
    }
  }, undefined, (path) => store.loaded(path));

  // the staggered-adoption note on TWFE did/eventstudy lines: computed in the background on the data
  // at each line (built as the viewer builds it), published again when ready
  const twfe = new TwfeWarnings((uri) => schedule(uri, 0), undefined, (path) => store.loaded(path), log);
  const twfeNotes = (doc: TextDocument, program: Parameters<TwfeWarnings['diagnostics']>[2]) => {
    // building the data runs the spec's data steps: only in a trusted workspace
    if (!trusted) return [];
    try {
      const file = uriToPath(doc.uri) ?? join(workspaceDir, 'untitled.pspec');
      return twfe.diagnostics(doc.uri, { text: doc.getText(), version: doc.version, file }, program);
    } catch (e) {
      error('twfe note', e);
      return [];
    }
  };

  /** Runs a handler, logging (not throwing) its failure. */
  const guard =
    <P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R) =>
    (...args: P): R => {
      try {
        return fn(...args);
      } catch (e) {
        error(name, e);
        return fallback;
      }
    };
  const analysisOf = (uri: string) => {
    const doc = documents.get(uri);
    return doc ? { doc, a: analyses.get(doc) } : undefined;
  };

  // ---- diagnostics ----
  const timers = new Map<string, NodeJS.Timeout>();
  const publish = (uri: string): void => {
    try {
      const doc = documents.get(uri);
      if (!doc) return;
      const a = analyses.get(doc);
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: [...toDiagnostics(a.diagnostics), ...twfeNotes(doc, a.program)] });
    } catch (e) {
      error('diagnostics', e);
    }
  };
  const schedule = (uri: string, delay = settings.diagnostics.delayMs): void => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => (timers.delete(uri), publish(uri)), delay));
  };
  store.onLoaded((path) => {
    twfe.invalidate();
    for (const uri of analyses.invalidateDataset(path)) schedule(uri, 0);
    connection.languages.semanticTokens.refresh();
    if (settings.inlayHints.enabled) connection.languages.inlayHint.refresh();
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    const rootPath = root ? uriToPath(root) : null;
    if (rootPath) workspaceDir = rootPath;
    const init = params.initializationOptions as { trusted?: boolean; settings?: unknown } | undefined;
    if (typeof init?.trusted === 'boolean') trusted = init.trusted;
    if (init?.settings) settings = readSettings(init.settings);
    hasConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ',', '(', '$', '"', '/', '.'], resolveProvider: false },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend, full: true },
        executeCommandProvider: { commands: [SERVER_RUN_COMMAND] },
        inlayHintProvider: true,
        signatureHelpProvider: { triggerCharacters: [',', '('], retriggerCharacters: [' ', ')'] },
      },
      serverInfo: { name: 'panelspec', version: '0.1.0' },
    };
  });

  const pullSettings = async (): Promise<void> => {
    if (!hasConfiguration) return;
    try {
      const cfg = await connection.workspace.getConfiguration('panelspec');
      settings = readSettings(cfg, settings);
    } catch (e) {
      error('configuration', e);
    }
  };
  connection.onInitialized(() => {
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'panelspec' }).catch(() => undefined);
    void pullSettings();
  });
  connection.onDidChangeConfiguration(async (change: { settings: unknown }) => {
    const s = (change.settings as { panelspec?: unknown } | undefined)?.panelspec;
    if (s) settings = readSettings(s, settings);
    else await pullSettings();
    connection.languages.inlayHint.refresh();
  });
  // After Restart Server the panel still shows results: the client hands them back so hovers return.
  connection.onNotification(RESTORE_NOTIFICATION, (p: RestoreParams) => {
    try {
      if (typeof p?.uri !== 'string' || typeof p.text !== 'string' || !Array.isArray(p.output?.results)) return;
      const program = parse(p.text);
      results.set(p.uri, p.output, p.text, (line1) => endLineOf(program, line1 - 1), new Set(Array.isArray(p.stale) ? p.stale : []));
      if (settings.inlayHints.enabled) connection.languages.inlayHint.refresh();
    } catch (e) {
      error('restore results', e);
    }
  });
  connection.onNotification(TRUST_NOTIFICATION, (p: Partial<TrustParams>) => {
    if (typeof p?.trusted !== 'boolean') return;
    const was = trusted;
    trusted = p.trusted;
    // the staggered-adoption notes appear (or go) with trust
    if (was !== trusted) for (const d of documents.all()) schedule(d.uri, 0);
  });

  documents.onDidOpen((e: { document: TextDocument }) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e: { document: TextDocument }) => schedule(e.document.uri));
  documents.onDidClose((e: { document: TextDocument }) => {
    clearTimeout(timers.get(e.document.uri));
    analyses.delete(e.document.uri);
    dataView.forget(e.document.uri);
    twfe.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion(
    guard('completion', [], (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? complete(x.doc, x.a, p.position) : [];
    }),
  );
  connection.onHover(
    guard('hover', null, (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? hover(x.doc, x.a, p.position, results, settings.stars) : null;
    }),
  );
  connection.onSignatureHelp(
    guard('signatureHelp', null, (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? signatureHelp(x.doc, x.a, p.position) : null;
    }),
  );
  connection.onCodeAction(guard('codeAction', [], (p) => quickFixes(p)));
  connection.onCodeLens(
    guard('codeLens', [], (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? codeLenses(x.a) : [];
    }),
  );
  connection.onDocumentSymbol(
    guard('documentSymbol', [], (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? documentSymbols(x.a) : [];
    }),
  );
  connection.onFoldingRanges(
    guard('folding', [], (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? foldingRanges(x.a) : [];
    }),
  );
  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] }, (p) => {
      const x = analysisOf(p.textDocument.uri);
      return x ? semanticTokens(x.a) : { data: [] };
    }),
  );
  connection.languages.inlayHint.on(
    guard('inlayHint', [], (p) => {
      if (!settings.inlayHints.enabled) return [];
      const x = analysisOf(p.textDocument.uri);
      return x ? inlayHints(x.a, p.range, results, settings.stars) : [];
    }),
  );
  connection.onRequest(DATA_REQUEST, async (p: DataRequestParams) => {
    try {
      const t0 = performance.now();
      const page = await dataView.page(p);
      const ms = performance.now() - t0;
      if (ms > 250) log(`data viewer: rows ${p.offset}-${p.offset + page.rows.length} of ${page.total} in ${(ms / 1000).toFixed(2)} s${p.filter ? ' (filtered)' : ''}${p.sort ? ` (sorted by ${p.sort.column})` : ''}`);
      return page;
    } catch (e) {
      if (!(e instanceof DataRequestError)) error('data', e);
      throw new ResponseError(ErrorCodes.InvalidRequest, (e as Error)?.message ?? String(e));
    }
  });
  connection.onExecuteCommand(async (p, token) => {
    try {
      if (p.command !== SERVER_RUN_COMMAND) return { ok: false, results: 0, refused: `unknown command ${p.command}` };
      const arg = (p.arguments?.[0] ?? {}) as RunParams;
      return await runs.run(arg, token);
    } catch (e) {
      error('executeCommand', e);
      return { ok: false, results: 0, error: { message: (e as Error)?.message ?? String(e), line: 0, character: 0 } };
    }
  });

  process.on('uncaughtException', (e) => error('uncaught', e));
  process.on('unhandledRejection', (e) => error('unhandled rejection', e));

  documents.listen(connection);
  connection.listen();
}

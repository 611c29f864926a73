// The results panel of one spec: a webview beside the editor, reused and updated in place. Its
// state (the last run's results) lives in the webview (setState) so a serializer can restore it
// after a window reload; retainContextWhenHidden stays off, the page redraws from the state.
// Besides the current results it shows the spec's history: its kept runs, one of them read-only,
// or two compared (see history/).

import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { renderHtmlDocument, renderTableString } from '../../server/src/results/render/index';
import { renderTsv } from '../../server/src/results/render/tsv';
import { type PanelItem, findPlot, findTable, fileStem, panelItems, plotSvg } from './panelModel';
import { type HostMessage, RESULTS_VIEW_TYPE, type ResultsParams, type WebviewMessage, parseWebviewMessage } from './protocol';
import { type PanelState, applyRun, rebase, slimForState } from './resultsState';
import { type PanelSpecSettings } from './settings';
import { untrustedMessage } from './trust';
import { buildPage } from './webview/page';
import { plotFileBytes, pngSize } from './plotFiles';
import { pickFormat, saveTable, saveTables, saveWithDialog } from './exportFiles';
import type { RunHistory } from './history/runHistory';
import type { RunRecord, RunSummary } from './history/runRecord';
import { type RunComparison, compareRuns } from './history/compareRuns';
import { buildHistoryPage, buildRunPage } from './webview/historyPage';

/** What the panel shows: the current results, the history list (with a comparison), or one kept run. */
type PanelView = { kind: 'current' } | { kind: 'history'; runs: RunSummary[]; comparison?: RunComparison } | { kind: 'run'; record: RunRecord };

const COPY_LABEL = { latex: 'LaTeX', markdown: 'Markdown', html: 'HTML', tsv: 'TSV (paste into Excel)' } as const;

export class SpecPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: PanelState | undefined;
  private view: PanelView = { kind: 'current' };
  private readonly disposables: vscode.Disposable[] = [];
  private rebaseTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The state as the last run left it (lines in the text that ran). Edits are mapped from it, not
   * from the previous edit: a half-typed line must not leave a model marked stale once the typing
   * restores it (the server's hovers map from the run's text the same way).
   */
  private anchor: PanelState | undefined;

  constructor(
    /** The spec whose results this panel shows ('' for the panel shown before any spec ran). */
    readonly uri: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => PanelSpecSettings,
    private readonly history: RunHistory | undefined,
    /** Called when this panel's webview becomes the active one (Export Table acts on it). */
    private readonly onActive: (p: SpecPanel) => void = () => undefined,
    /** Where a new webview opens: beside the other specs' results (one group of result tabs), if any. */
    private readonly placement: () => vscode.ViewColumn | undefined = () => undefined,
  ) {}

  /** The editor group the webview is in, when open. */
  get column(): vscode.ViewColumn | undefined {
    return this.panel?.viewColumn;
  }

  /** Takes over a webview VS Code restored after a reload, with the state it saved. */
  restore(panel: vscode.WebviewPanel, saved: PanelState | undefined): void {
    this.state = saved ? { ...saved, running: false } : undefined;
    this.anchor = this.state;
    this.view = { kind: 'current' };
    this.adopt(panel);
    this.render();
  }

  get current(): PanelState | undefined {
    return this.state;
  }

  /** Whether the webview exists (closed panels keep their state and reopen on show). */
  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  items(): PanelItem[] {
    return this.state ? panelItems(this.state.output, this.display()) : [];
  }

  show(preserveFocus = true): void {
    // the panel last shown is the one Show Results and Export Table fall back to
    this.onActive(this);
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      'PanelSpec Results',
      { viewColumn: this.placement() ?? vscode.ViewColumn.Beside, preserveFocus },
      { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [] },
    );
    this.adopt(panel);
    this.render();
  }

  /** A run started: show the spinner (in place when the page is live). */
  setRunning(uri: string): void {
    this.state = this.state && this.state.uri === uri ? { ...this.state, running: true } : { uri, output: { version: 1, file: '', results: [] }, running: true };
    const existed = this.panel !== undefined;
    // a history page has no spinner: the run's panel shows the current results
    const wasVisible = this.panel?.visible === true && this.view.kind === 'current';
    if (this.view.kind !== 'current') {
      this.view = { kind: 'current' };
      if (existed) this.render();
    }
    this.show(true); // a new panel is drawn (as running) here
    // A live page toggles its spinner; a hidden one reloads on reveal, so redraw it as running.
    if (wasVisible) {
      const msg: HostMessage = { type: 'running', running: true };
      void this.panel?.webview.postMessage(msg);
    } else if (existed) this.render();
  }

  /** A run ended without results (refused, or the server sent nothing): drop the spinner. */
  clearRunning(): void {
    if (!this.state?.running) return;
    this.state = { ...this.state, running: false };
    const msg: HostMessage = { type: 'running', running: false };
    void this.panel?.webview.postMessage(msg);
  }

  /** A run finished (with results, an error or both). */
  applyResults(params: ResultsParams, partial: boolean): void {
    this.state = applyRun(this.state, params.uri, params.output, params.error, partial, { text: params.text, ends: params.ends });
    this.anchor = this.state;
    this.view = { kind: 'current' };
    this.show(true);
    this.render();
  }

  /** What a new server needs to answer hovers on the panel's results (none when the panel is empty). */
  restoreParams(textOf: (uri: string) => string | undefined): { uri: string; output: PanelState['output']; text: string; stale: number[] } | undefined {
    const s = this.state;
    if (!s || !s.output.results.length || s.text === undefined) return undefined;
    const now = textOf(s.uri);
    const placed = now === undefined ? s : rebase(s, now);
    this.state = placed;
    return { uri: placed.uri, output: slimForState(placed).output, text: placed.text!, stale: placed.stale ?? [] };
  }

  /** The spec changed: move result lines with the edit and mark what the edit touched (debounced). */
  specChanged(uri: string, text: () => string): void {
    if (this.state?.uri !== uri || this.state.text === undefined) return;
    clearTimeout(this.rebaseTimer);
    this.rebaseTimer = setTimeout(() => {
      if (this.state?.uri !== uri) return;
      const next = rebase(this.anchor?.uri === uri ? this.anchor : this.state, text());
      if (next.text === this.state.text) return;
      this.state = { ...next, running: this.state.running };
      if (this.view.kind === 'current') this.render();
    }, 200);
  }

  /** Settings changed (stars, decimals): redraw. */
  refresh(): void {
    if (this.panel) this.render();
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private display() {
    const s = this.settings();
    return { decimals: s.decimals, stars: s.stars };
  }

  /** Shows the spec's kept runs, newest first (the panel opens if closed). */
  async showHistory(): Promise<void> {
    if (!this.history) {
      void vscode.window.showInformationMessage('PanelSpec: the results history is off (no storage for this window).');
      return;
    }
    const runs = await this.history.list(this.uri);
    this.view = { kind: 'history', runs };
    if (!this.panel) this.show(false);
    else {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, false);
      this.render();
    }
  }

  /** Two kept runs side by side, under the list of runs. */
  async compare(a: string, b: string): Promise<void> {
    if (!this.history) return;
    const [ra, rb] = await Promise.all([this.history.read(this.uri, a), this.history.read(this.uri, b)]);
    if (!ra || !rb) {
      void vscode.window.showWarningMessage('PanelSpec: that run is no longer kept (the history keeps the last panelspec.history.maxRuns runs).');
      return this.showHistory();
    }
    const runs = await this.history.list(this.uri);
    this.view = { kind: 'history', runs, comparison: compareRuns(ra, rb) };
    this.render();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    this.disposables.push(
      panel.onDidDispose(() => {
        if (this.panel === panel) this.panel = undefined;
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) this.onActive(this);
      }),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        const msg = parseWebviewMessage(m);
        if (!msg) {
          this.log.warn('results panel: ignored an unexpected message');
          return;
        }
        this.handle(msg).catch((e: unknown) => {
          const text = e instanceof Error ? e.message : String(e);
          this.log.error(`results panel: ${text}`);
          void vscode.window.showErrorMessage(`PanelSpec: ${text}`);
        });
      }),
    );
  }

  private render(): void {
    if (!this.panel) return;
    const nonce = randomBytes(18).toString('base64');
    const label = this.uri ? labelFor(this.uri) : this.state ? labelFor(this.state.uri) : undefined;
    this.panel.title = label ? `Results: ${label}` : 'PanelSpec Results';
    const opts = { cspSource: this.panel.webview.cspSource, nonce, display: this.display(), fileLabel: label, history: this.history !== undefined && !!this.uri };
    const v = this.view;
    const maxRuns = this.history?.maxRuns() ?? 0;
    this.panel.webview.html =
      v.kind === 'history' ? buildHistoryPage(v.runs, { ...opts, maxRuns }, v.comparison) : v.kind === 'run' ? buildRunPage(v.record, { ...opts, maxRuns }) : buildPage(this.state, opts);
  }

  private async handle(msg: WebviewMessage): Promise<void> {
    const state = this.state;
    switch (msg.type) {
      case 'ready':
        return;
      case 'failed':
        this.log.warn(msg.message);
        void vscode.window.showErrorMessage(`PanelSpec: ${msg.message}`);
        return;
      case 'reveal':
        if (state) await revealLine(state.uri, msg.line, msg.character);
        return;
      case 'copy': {
        const t = findTable(this.items(), msg.tableId);
        if (!t) return;
        if (msg.format === 'html') {
          // rich HTML needs the browser's clipboard (text/html beside text/plain): the page writes it
          const reply: HostMessage = { type: 'clipboard', html: renderHtmlDocument([t.model], t.title), text: renderTsv(t.model) };
          await this.panel?.webview.postMessage(reply);
          return;
        }
        const text = msg.format === 'tsv' ? renderTsv(t.model) : renderTableString(t.model, msg.format);
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(`PanelSpec: table copied as ${COPY_LABEL[msg.format]}`, 3000);
        return;
      }
      case 'copied':
        if (msg.ok) vscode.window.setStatusBarMessage('PanelSpec: table copied as HTML (paste into Word)', 3000);
        else void vscode.window.showWarningMessage('PanelSpec: the clipboard refused the HTML table; use Export Table > HTML instead.');
        return;
      case 'stop':
        await vscode.commands.executeCommand('panelspec.stopRun');
        return;
      case 'history':
        await this.showHistory();
        return;
      case 'current':
        this.view = { kind: 'current' };
        this.render();
        return;
      case 'openRun': {
        const record = await this.history?.read(this.uri, msg.id);
        if (!record) {
          void vscode.window.showWarningMessage('PanelSpec: that run is no longer kept (the history keeps the last panelspec.history.maxRuns runs).');
          return this.showHistory();
        }
        this.view = { kind: 'run', record };
        this.render();
        return;
      }
      case 'compare':
        await this.compare(msg.a, msg.b);
        return;
      case 'export': {
        if (!state) return;
        await this.exportTable(msg.tableId, msg.format);
        return;
      }
      case 'exportAll':
        await this.exportAll(msg.format);
        return;
      case 'savePlot': {
        if (!state) return;
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage(untrustedMessage('export'));
          return;
        }
        const plot = findPlot(this.items(), msg.plotId);
        if (!plot) return;
        const settings = this.settings();
        const ext = msg.format;
        const bytes = await plotFileBytes(plotSvg(plot, true, settings.decimals), ext, settings.plotWidth);
        const saved = await saveWithDialog(bytes, state.uri, fileStem(plot.title), ext, ext.toUpperCase());
        if (saved) {
          this.log.info(`saved ${saved.fsPath}`);
          const size = ext === 'png' ? ` (${pngSize(bytes)})` : '';
          void vscode.window.showInformationMessage(`PanelSpec: plot saved to ${saved.fsPath}${size}`);
        }
        return;
      }
    }
  }

  /** Every table of the panel in one file; asks for the format when not given. */
  async exportAll(format?: Parameters<typeof saveTable>[1]): Promise<void> {
    const state = this.state;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(untrustedMessage('export'));
      return;
    }
    const tables = this.items().flatMap((i) => i.tables);
    if (!state || !tables.length) {
      void vscode.window.showInformationMessage('PanelSpec: no tables to export yet. Run a spec first (PanelSpec: Run File).');
      return;
    }
    const fmt = format ?? (await pickFormat());
    if (!fmt) return;
    const stem = `${fileStem(labelFor(state.uri).replace(/\.pspec$/i, ''))}-tables`;
    const saved = await saveTables(
      tables.map((t) => t.model),
      fmt,
      state.uri,
      stem,
    );
    if (saved) {
      this.log.info(`exported ${tables.length} tables to ${saved.fsPath}`);
      void vscode.window.showInformationMessage(`PanelSpec: ${tables.length} tables saved to ${vscode.workspace.asRelativePath(saved)}`);
    }
  }

  /** Export one table; asks for the table and the format when not given. */
  async exportTable(tableId?: string, format?: Parameters<typeof saveTable>[1]): Promise<void> {
    const state = this.state;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(untrustedMessage('export'));
      return;
    }
    const items = this.items();
    const tables = items.flatMap((i) => i.tables);
    if (!state || !tables.length) {
      void vscode.window.showInformationMessage('PanelSpec: no tables to export yet. Run a spec first (PanelSpec: Run File).');
      return;
    }
    let table = tableId ? findTable(items, tableId) : undefined;
    if (!table) {
      const picked =
        tables.length === 1
          ? { table: tables[0] }
          : await vscode.window.showQuickPick(
              tables.map((t) => ({ label: t.title, description: t.id, table: t })),
              { title: 'Export which table?' },
            );
      if (!picked) return;
      table = picked.table;
    }
    const fmt = format ?? (await pickFormat());
    if (!fmt) return;
    const saved = await saveTable(table.model, fmt, state.uri, table.title);
    if (saved) {
      this.log.info(`exported ${table.title} to ${saved.fsPath}`);
      void vscode.window.showInformationMessage(`PanelSpec: table saved to ${vscode.workspace.asRelativePath(saved)}`);
    }
  }
}

export function labelFor(uri: string): string {
  try {
    const u = vscode.Uri.parse(uri, true);
    return u.path.split('/').pop() || uri;
  } catch {
    return uri;
  }
}

/** Opens the spec with the cursor on the failing line (0-based LSP position). */
export async function revealLine(uri: string, line: number, character: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
  const l = Math.min(line, Math.max(0, doc.lineCount - 1));
  const pos = new vscode.Position(l, Math.min(character, doc.lineAt(l).text.length));
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
}

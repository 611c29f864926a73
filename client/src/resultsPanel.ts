// The results panels: one per spec (a second .pspec gets its own panel, titled with its name).
// Runs, edits and restores are routed to the spec's panel; Show Results and Export Table act on
// the active editor's spec, else on the panel last active.

import * as vscode from 'vscode';
import type { RunHistory } from './history/runHistory';
import { LANGUAGE_ID, RESULTS_VIEW_TYPE, type ResultsParams } from './protocol';
import { type PanelState, isPanelState } from './resultsState';
import type { PanelSpecSettings } from './settings';
import { SpecPanel } from './specPanel';
import type { PanelItem } from './panelModel';

export { revealLine } from './specPanel';

export class ResultsPanel implements vscode.Disposable {
  private readonly panels = new Map<string, SpecPanel>();
  private lastActive: SpecPanel | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => PanelSpecSettings,
    private readonly history?: RunHistory,
  ) {}

  /** Restores the panels VS Code had open before a reload, each to its spec. */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: unknown) => {
        const state = isPanelState(saved) ? saved : undefined;
        const spec = this.of(state?.uri ?? '');
        spec.restore(panel, state);
      },
    });
  }

  /** The spec's panel (created, not yet shown, on first use). */
  of(uri: string): SpecPanel {
    let p = this.panels.get(uri);
    if (!p) {
      // the empty panel Show Results opened before any run gives way to the spec's own
      const blank = uri ? this.panels.get('') : undefined;
      if (blank && !blank.current) {
        blank.dispose();
        this.panels.delete('');
        if (this.lastActive === blank) this.lastActive = undefined;
      }
      p = new SpecPanel(uri, this.log, this.settings, this.history, (active) => (this.lastActive = active), () => this.resultsColumn());
      this.panels.set(uri, p);
    }
    return p;
  }

  /** The panel commands act on: the active PanelSpec editor's, else the last active one. */
  target(): SpecPanel {
    const ed = vscode.window.activeTextEditor;
    if (ed && ed.document.languageId === LANGUAGE_ID) return this.of(ed.document.uri.toString());
    return this.lastActive ?? [...this.panels.values()].find((p) => p.isOpen) ?? [...this.panels.values()][0] ?? this.of('');
  }

  /**
   * The group the open results panels are in (the last active one's first), so that a new spec's
   * panel joins them as a tab rather than splitting the editor again (as the one panel of earlier
   * versions was revealed in its own group); none when no panel is open (then: beside the editor).
   */
  private resultsColumn(): vscode.ViewColumn | undefined {
    return [this.lastActive, ...this.panels.values()].find((p) => p?.isOpen && p.column !== undefined)?.column;
  }

  /** The results a spec's panel shows. */
  stateOf(uri: string): PanelState | undefined {
    return this.panels.get(uri)?.current;
  }

  /** The active spec's panel (Show Results). */
  show(preserveFocus = true): void {
    this.target().show(preserveFocus);
  }

  /** The active spec's kept runs (Show Run History). */
  showHistory(): Promise<void> {
    return this.target().showHistory();
  }

  items(): PanelItem[] {
    return this.target().items();
  }

  setRunning(uri: string): void {
    this.of(uri).setRunning(uri);
  }

  clearRunning(uri: string): void {
    this.panels.get(uri)?.clearRunning();
  }

  applyResults(params: ResultsParams, partial: boolean): void {
    this.of(params.uri).applyResults(params, partial);
  }

  /** What a new server needs to answer hovers, for each spec whose panel shows results. */
  restoreParams(textOf: (uri: string) => string | undefined): { uri: string; output: PanelState['output']; text: string; stale: number[] }[] {
    return [...this.panels.values()].flatMap((p) => p.restoreParams(textOf) ?? []);
  }

  specChanged(uri: string, text: () => string): void {
    this.panels.get(uri)?.specChanged(uri, text);
  }

  refresh(): void {
    for (const p of this.panels.values()) p.refresh();
  }

  exportTable(): Promise<void> {
    return this.target().exportTable();
  }

  exportAll(): Promise<void> {
    return this.target().exportAll();
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
  }
}

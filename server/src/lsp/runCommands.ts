// `workspace/executeCommand panelspec.run {uri, line?}`: runs the document (or every statement up
// to and including the one on `line`, so that its data steps run, reporting only that statement's
// result), shows progress after a second, honours cancellation, stores results for hovers and sends
// `panelspec/results` to the client. Refused in an untrusted workspace.
import { readFileSync } from 'node:fs';
import type { Connection, CancellationToken, WorkDoneProgressReporter } from './lspApi';
import type { Program } from '../../../grammar/src/ast';
import type { CommandResult, RunOutput } from '../results/types';
import { statementIndexAt } from '../analysis/scope';
import { uriToPath, type AnalysisCache } from './documents';
import type { ResultsStore } from './resultsStore';
import { runSpec, type SpecRunner } from './specRunner';
import type { LazyRunSettings } from '../runtime/protocol';
import { RESULTS_NOTIFICATION, type ResultsParams, type RunError, type RunParams, type RunReply } from '../protocol';

export interface RunDeps {
  connection: Connection;
  analyses: AnalysisCache;
  results: ResultsStore;
  text(uri: string): { text: string; version: number } | undefined;
  trusted(): boolean;
  runner?: SpecRunner;
  /** Lazy data settings (`panelspec.lazyThresholdBytes`, `panelspec.duckdb.*`) at the time of a run. */
  lazy?: () => LazyRunSettings;
}

/** The statement a "run to here" on `line` targets: the one containing it, else the last one above. */
export function targetStatement(program: Program, line: number): number {
  const i = statementIndexAt(program, line);
  const st = program.statements[i];
  if (st && st.range.start.line <= line) return i;
  return i - 1;
}

/** The last 0-based line of the statement starting on 0-based `line` (the line itself if none). */
export function endLineOf(program: Program, line: number): number {
  const st = program.statements.find((s) => s.range.start.line <= line && s.range.end.line >= line);
  return st ? st.range.end.line : line;
}

export class RunManager {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: RunDeps) {}

  async run(params: RunParams, token?: CancellationToken): Promise<RunReply> {
    const { connection } = this.deps;
    if (!params || typeof params.uri !== 'string') return { ok: false, results: 0, refused: 'panelspec.run needs {uri, line?}' };
    if (!this.deps.trusted()) {
      const refused = 'PanelSpec does not run specs in an untrusted workspace: trust the folder to run it.';
      void connection.window.showWarningMessage(refused);
      return { ok: false, results: 0, refused };
    }
    const uri = params.uri;
    const file = uriToPath(uri);
    let src = this.deps.text(uri);
    if (!src && file) {
      try {
        src = { text: readFileSync(file, 'utf8'), version: -1 };
      } catch (e) {
        return this.fail(uri, { message: `cannot read ${file}: ${(e as Error).message}`, line: 0, character: 0 });
      }
    }
    if (!src) return { ok: false, results: 0, refused: `unknown document ${uri}` };

    // Static errors first: nothing runs when the spec (up to the target) has errors, as in the CLI.
    const analysis = this.deps.analyses.analyze(uri, src.version, src.text);
    const program = analysis.program;
    let upTo: number | undefined;
    let lastLine = Infinity;
    if (typeof params.line === 'number') {
      upTo = targetStatement(program, params.line);
      if (upTo < 0) return this.fail(uri, { message: 'no statement on or above this line', line: params.line, character: 0 });
      lastLine = program.statements[upTo].range.end.line;
    }
    const blocking = analysis.diagnostics.find((d) => d.severity === 'error' && d.range.start.line <= lastLine);
    if (blocking) return this.fail(uri, { message: blocking.message, line: blocking.range.start.line, character: blocking.range.start.character });

    this.running.get(uri)?.abort();
    const ac = new AbortController();
    this.running.set(uri, ac);
    token?.onCancellationRequested(() => ac.abort());

    let progress: WorkDoneProgressReporter | undefined;
    let lastMessage = 'starting';
    const timer = setTimeout(() => {
      void connection.window
        .createWorkDoneProgress()
        .then((p) => {
          if (ac.signal.aborted || this.running.get(uri) !== ac) return p.done();
          progress = p;
          p.begin('PanelSpec', 0, lastMessage, true);
          p.token.onCancellationRequested(() => ac.abort());
        })
        .catch(() => undefined);
    }, 1000);

    const started = Date.now();
    try {
      const outcome = await (this.deps.runner ?? runSpec)(src.text, file ?? uri, {
        upTo,
        signal: ac.signal,
        lazy: this.deps.lazy?.(),
        onProgress: (p) => {
          lastMessage = `line ${p.line}: ${p.command}${p.message ? ` — ${p.message}` : ''}`;
          progress?.report(Math.round(((p.statement + (p.fraction ?? 0)) / Math.max(1, p.total)) * 100), lastMessage);
        },
      });
      const output: RunOutput = { version: 1, file: outcome.file, results: outcome.results };
      this.deps.results.set(uri, output, src.text, (line1) => endLineOf(program, line1 - 1));
      let shown: CommandResult[] = output.results;
      if (upTo !== undefined) {
        const st = program.statements[upTo];
        shown = output.results.filter((r) => typeof r.line === 'number' && r.line - 1 >= st.range.start.line && r.line - 1 <= st.range.end.line);
      }
      const error = outcome.error ?? undefined;
      // the text that ran and each result's last line, so the panel can follow later edits (as hovers do)
      const ends: Record<number, number> = {};
      for (const r of shown) if (typeof r.line === 'number') ends[r.line] = endLineOf(program, r.line - 1);
      const reply: ResultsParams = { uri, output: { ...output, results: shown }, error, line: params.line, seconds: (Date.now() - started) / 1000, text: src.text, ends };
      void connection.sendNotification(RESULTS_NOTIFICATION, reply);
      return { ok: !error, results: shown.length, error };
    } catch (e) {
      return this.fail(uri, { message: `run failed: ${(e as Error)?.message ?? String(e)}`, line: 0, character: 0 });
    } finally {
      clearTimeout(timer);
      progress?.done();
      if (this.running.get(uri) === ac) this.running.delete(uri);
    }
  }

  cancel(uri: string): void {
    this.running.get(uri)?.abort();
  }

  private fail(uri: string, error: RunError): RunReply {
    const params: ResultsParams = { uri, output: { version: 1, file: uriToPath(uri) ?? uri, results: [] }, error };
    void this.deps.connection.sendNotification(RESULTS_NOTIFICATION, params);
    return { ok: false, results: 0, error };
  }
}


// The wire between the VS Code extension (client/) and the language server (server/src/lsp/): the
// command ids, request and notification names and their parameter types, in one module both sides
// import, so that a renamed request or a changed field fails to compile on both sides at once.
// Pure names and types (no `vscode` import): the webview script and the tests share them too.
import type { RunOutput } from './results/types';

/** Command ids contributed in package.json (the server's code lenses invoke runLine and runFile). */
export const Commands = {
  runFile: 'panelspec.runFile',
  runLine: 'panelspec.runLine',
  showResults: 'panelspec.showResults',
  showHistory: 'panelspec.showHistory',
  exportTable: 'panelspec.exportTable',
  openDataViewer: 'panelspec.openDataViewer',
  restartServer: 'panelspec.restartServer',
  stopRun: 'panelspec.stopRun',
  help: 'panelspec.help',
} as const;

/** `workspace/executeCommand` that runs a spec (whole file, or the statements up to `line`): RunParams -> RunReply. */
export const SERVER_RUN_COMMAND = 'panelspec.run';
/** Server -> client notification with a run's results: ResultsParams. */
export const RESULTS_NOTIFICATION = 'panelspec/results';
/** Client -> server notification of the workspace trust: TrustParams. */
export const TRUST_NOTIFICATION = 'panelspec/trust';
/** Client -> server when a server starts while the panel shows results (Restart Server, a reload): hovers come back. */
export const RESTORE_NOTIFICATION = 'panelspec/restoreResults';
/** Request for the data viewer (a window of rows of the dataset a spec builds): DataParams -> a page of rows. */
export const DATA_REQUEST = 'panelspec/data';

export interface RunParams {
  uri: string;
  line?: number; // 0-based, as LSP positions
}

export interface RunError {
  message: string;
  line: number; // 0-based (LSP)
  character: number;
}

/** What `panelspec.run` returns (the results themselves come by notification). */
export interface RunReply {
  ok: boolean;
  results: number;
  error?: RunError;
  refused?: string; // not run at all (untrusted workspace, unknown document): why
}

export interface ResultsParams {
  uri: string;
  output: RunOutput;
  error?: RunError;
  line?: number; // set when the run was of one statement (`panelspec.run {uri, line}`)
  seconds?: number; // the run's wall time
  text?: string; // the spec text that ran: result lines refer to it
  ends?: Record<number, number>; // result line (1-based) -> last 0-based line of its statement
}

/** Client -> server after a restart (RESTORE_NOTIFICATION): the results the panel shows, on the text they are placed in. */
export interface RestoreParams {
  uri: string;
  output: RunOutput;
  text: string;
  stale?: number[]; // 1-based lines of results known to be stale
}

export interface TrustParams {
  trusted: boolean;
}

export interface DataParams {
  uri: string;
  offset: number; // first row, 0-based
  limit: number; // at most this many rows
  line?: number; // 0-based: the data as the spec's data steps leave it up to this line (default: whole file)
  sort?: { column: string; descending?: boolean };
  filter?: string; // an `if` expression: only the rows where it is true
  profile?: boolean; // include each column's profile
  reload?: boolean; // run the data steps again (the data file may have changed)
}

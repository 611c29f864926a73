// Results of the last run of each document, kept for hovers (coefficients on regressors, fit on the
// depvar, model summaries in esttab). Results carry the 1-based line of their command.
import type { CommandResult, EstimationResult, RunOutput } from '../results/types';

export class ResultsStore {
  private readonly byUri = new Map<string, RunOutput>();

  set(uri: string, output: RunOutput): void {
    const old = this.byUri.get(uri);
    // a partial run (up to a line) refreshes the results it produced and keeps the others
    if (old) {
      const lines = new Set(output.results.map((r) => r.line));
      output = { ...output, results: [...old.results.filter((r) => !lines.has(r.line)), ...output.results] };
    }
    this.byUri.set(uri, output);
  }

  get(uri: string): RunOutput | undefined {
    return this.byUri.get(uri);
  }

  clear(uri: string): void {
    this.byUri.delete(uri);
  }

  /** The result of the statement spanning 0-based lines [from, to]. */
  at(uri: string, from: number, to: number): CommandResult | undefined {
    const out = this.byUri.get(uri);
    return out?.results.find((r) => typeof r.line === 'number' && r.line - 1 >= from && r.line - 1 <= to);
  }

  estimationAt(uri: string, from: number, to: number): EstimationResult | undefined {
    const out = this.byUri.get(uri);
    return out?.results.find((r): r is EstimationResult => r.kind === 'estimation' && r.line - 1 >= from && r.line - 1 <= to);
  }

  model(uri: string, name: string): EstimationResult | undefined {
    const out = this.byUri.get(uri);
    return out?.results.find((r): r is EstimationResult => r.kind === 'estimation' && r.name === name);
  }
}

// The analysis of each open document (parse + scope + checks), cached by version so that every
// provider of one request round reads the same result, and invalidated when a dataset it uses
// finishes loading.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Program } from '../../../grammar/src/ast';
import { parse } from '../../../grammar/src/index';
import { analyzeProgram, type Analysis } from '../analysis/check';
import { statementNodes, type Node } from '../analysis/visit';
import type { DatasetStore } from './datasets';

export interface DocAnalysis extends Analysis {
  uri: string;
  version: number;
  text: string;
  /** Folder that relative paths in the spec resolve against. */
  dir: string;
  file: string | null;
  /** Absolute paths of the datasets the spec uses. */
  datasets: Set<string>;
  /** Nodes of statement i (computed on first use). */
  nodes(i: number): Node[];
}

/** Local path of a file: URI, or null for untitled and other schemes. */
export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export class AnalysisCache {
  private readonly cache = new Map<string, DocAnalysis>();

  constructor(
    private readonly store: DatasetStore,
    private readonly fallbackDir: () => string,
  ) {}

  get(doc: TextDocument): DocAnalysis {
    const hit = this.cache.get(doc.uri);
    if (hit && hit.version === doc.version) return hit;
    const a = this.analyze(doc.uri, doc.version, doc.getText());
    this.cache.set(doc.uri, a);
    return a;
  }

  /** The cached analysis whatever its version (for hovers after a run, when the doc is closed). */
  peek(uri: string): DocAnalysis | undefined {
    return this.cache.get(uri);
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }

  /** Drops analyses that use `path` and returns their URIs (to re-publish diagnostics). */
  invalidateDataset(path: string): string[] {
    const uris: string[] = [];
    for (const [uri, a] of this.cache) {
      if (a.datasets.has(path)) {
        this.cache.delete(uri);
        uris.push(uri);
      }
    }
    return uris;
  }

  analyze(uri: string, version: number, text: string): DocAnalysis {
    const file = uriToPath(uri);
    const dir = file ? dirname(file) : this.fallbackDir();
    const program: Program = parse(text);
    const datasets = new Set<string>();
    const analysis = analyzeProgram(program, {
      resolvePath: (p) => (isAbsolute(p) ? p : resolve(dir, p)),
      dataset: (abs) => {
        datasets.add(abs);
        return this.store.state(abs);
      },
    });
    const nodeCache: Node[][] = [];
    return {
      ...analysis,
      uri,
      version,
      text,
      dir,
      file,
      datasets,
      nodes(i: number): Node[] {
        return (nodeCache[i] ??= statementNodes(program.statements[i]));
      },
    };
  }
}

// Command-line arguments of `panelspec`, as a discriminated union.
export type OutputFormat = 'text' | 'markdown' | 'latex';

export type CliCommand =
  | { kind: 'run'; file: string; json: string | null; format: OutputFormat; check: boolean; quiet: boolean; lazy: LazyArgs }
  | { kind: 'lsp' }
  | { kind: 'help' }
  | { kind: 'version' };

/** Lazy data (DuckDB) settings from the command line; unset ones take their defaults. */
export interface LazyArgs {
  /** Files at least this large open lazily (bytes; default 1 GB). */
  thresholdBytes?: number;
  /** DuckDB's memory_limit ("3GB"; default 60 % of RAM). */
  memoryLimit?: string;
  /** DuckDB's spill folder (default the OS temp folder). */
  tempDirectory?: string;
}

export class UsageError extends Error {}

export const USAGE = `usage:
  panelspec run FILE.pspec [--json OUT.json] [--format text|markdown|latex] [--no-check] [--quiet]
                [--lazy-threshold BYTES] [--memory-limit SIZE] [--temp-directory DIR]
  panelspec lsp --stdio
  panelspec --version`;

export function parseArgs(argv: string[]): CliCommand {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help' || sub === 'help') return { kind: 'help' };
  if (sub === '-v' || sub === '--version') return { kind: 'version' };
  if (sub === 'lsp') {
    // LSP clients add --clientProcessId=N (vscode-languageclient's `module` form does); accept it.
    for (const a of rest)
      if (a !== '--stdio' && !/^--clientProcessId(=\d+)?$/.test(a)) throw new UsageError(`lsp: unknown argument ${a} (only --stdio is supported)`);
    return { kind: 'lsp' };
  }
  if (sub !== 'run') throw new UsageError(`unknown command ${sub}`);
  let file: string | null = null;
  let json: string | null = null;
  let format: OutputFormat = 'text';
  let check = true;
  let quiet = false;
  const lazy: LazyArgs = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--json' || a.startsWith('--json=')) json = value();
    else if (a === '--format' || a.startsWith('--format=')) {
      const f = value();
      if (f !== 'text' && f !== 'markdown' && f !== 'latex') throw new UsageError(`--format must be text, markdown or latex (got ${f})`);
      format = f;
    } else if (a === '--no-check') check = false;
    else if (a === '--quiet' || a === '-q') quiet = true;
    else if (a === '--lazy-threshold' || a.startsWith('--lazy-threshold=')) {
      const v = value();
      const n = Number(v);
      if (!/^\d+(\.\d+)?(e\d+)?$/i.test(v) || !Number.isFinite(n)) throw new UsageError(`--lazy-threshold takes a number of bytes (got ${v})`);
      lazy.thresholdBytes = n;
    } else if (a === '--memory-limit' || a.startsWith('--memory-limit=')) {
      const v = value();
      if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v)) throw new UsageError(`--memory-limit takes a size such as 3GB or 500MB (got ${v})`);
      lazy.memoryLimit = v;
    } else if (a === '--temp-directory' || a.startsWith('--temp-directory=')) lazy.tempDirectory = value();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (file === null) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (!file) throw new UsageError('run: no spec file given');
  return { kind: 'run', file, json, format, check, quiet, lazy };
}

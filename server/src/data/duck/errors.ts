// DuckDB's failures as PanelSpec messages. DuckDB words its errors for SQL users ("IO Error: No
// files found that match the pattern ..."); a spec's user wrote no SQL, so the common ones are
// reworded: a glob matching nothing, temp disk full, out of memory, a type clash.
import { DataError } from '../errors';

/** A DuckDB query failed (the message is already the user's). */
export class DuckError extends DataError {
  constructor(message: string) {
    super(message, { code: 'io' });
    this.name = 'DuckError';
  }
}

/** The query was interrupted because the run was cancelled. */
export class DuckCancelled extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'DuckCancelled';
  }
}

/** The user's wording of a DuckDB error. */
export function duckErrorMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const text = raw.replace(/\s+/g, ' ').trim();
  if (/No space left on device|could not write .* temp|Could not write to file .*\.tmp|temporary directory .* full/i.test(text))
    return `DuckDB ran out of temporary disk space while spilling to disk (${firstLine(raw)}); free space in the temp directory or set panelspec.duckdb.tempDirectory to a larger disk`;
  if (/^Out of Memory Error/i.test(text) && /max_temp_directory_size|temp_directory/i.test(text))
    return `DuckDB ran out of temporary disk space (${firstLine(raw)}); free space in the temp directory or point panelspec.duckdb.tempDirectory at a larger disk`;
  if (/^Out of Memory Error/i.test(text))
    return `DuckDB ran out of memory (${firstLine(raw)}); raise panelspec.duckdb.memoryLimit or reduce the data first with keep if`;
  if (/^INTERRUPT Error/i.test(text)) return 'run cancelled';
  const conv = /CSV Error on Line: (\d+)[\s\S]*?Error when converting column "([^"]+)"\. Could not convert string "([^"]*)" to '(\w+)'/.exec(raw);
  if (conv)
    return `line ${conv[1]} of the file: column ${conv[2]} holds "${conv[3]}", which is not a number, though the rows read to guess its type were numbers (lazy reading guesses a column's type from the first rows); correct the file, or read it into memory without lazy`;
  const csv = /CSV Error on Line: (\d+)\s*\n(?:Original Line: (.*)\n)?(.*)/.exec(raw);
  if (csv) return `line ${csv[1]} of the file cannot be read${csv[2] !== undefined ? ` ("${csv[2].slice(0, 80)}")` : ''}: ${csv[3].trim()}`;
  const schema = /schema mismatch in glob: column "([^"]+)" was read from the original file "([^"]+)", but could not be found in file "([^"]+)"/.exec(text);
  if (schema) return `the files read together do not have the same columns: ${schema[1]} is in ${schema[2]} but not in ${schema[3]}`;
  return firstLine(raw).replace(/^(\w+ )*Error: /, '');
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '')?.trim() ?? s;
}

// The one error type every loader throws: a message a user can act on, with the data file and,
// where it applies, the 1-based line/column inside it. Library exceptions never leak past load.ts.
import { basename } from 'node:path';

export type DataErrorCode =
  | 'not-found'
  | 'io'
  | 'unsupported-format'
  | 'empty'
  | 'binary'
  | 'encoding'
  | 'ragged-row'
  | 'unterminated-quote'
  | 'bad-quote'
  | 'corrupt'
  | 'sheet-not-found'
  | 'unsupported'
  | 'bad-argument'
  | 'too-large';

export interface DataErrorInit {
  code: DataErrorCode;
  file?: string;
  line?: number;
  column?: number;
}

export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** The message without the file prefix (for diagnostics that already show the file). */
  readonly detail: string;

  constructor(detail: string, init: DataErrorInit) {
    super(init.file ? `${basename(init.file)}: ${detail}` : detail);
    this.name = 'DataError';
    this.detail = detail;
    this.code = init.code;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
  }

  /** `file:line:col: message`, the compiler-style form. */
  format(): string {
    const loc = [this.file ?? '<data>', this.line, this.column].filter((x) => x !== undefined).join(':');
    return `${loc}: ${this.detail}`;
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}

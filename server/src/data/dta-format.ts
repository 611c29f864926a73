// Constants of the Stata .dta formats 117 (Stata 13), 118 (Stata 14-18) and 119 (> 32,767
// variables), from Stata's `help dta`. Shared by the reader and the writer.

export type DtaVersion = 117 | 118 | 119;
export type ByteOrder = 'MSF' | 'LSF';

export const DTA_TYPE = {
  strL: 32768,
  double: 65526,
  float: 65527,
  long: 65528,
  int: 65529,
  byte: 65530,
} as const;

export type DtaNumericType = 'byte' | 'int' | 'long' | 'float' | 'double';

/** Largest non-missing value of each integer type; anything above is a missing code (. .a-.z). */
export const MAX_VALID = { byte: 100, int: 32740, long: 2147483620 } as const;
export const MIN_VALID = { byte: -127, int: -32767, long: -2147483647 } as const;
/** Float/double values at or above these are missing codes. */
export const FLOAT_MISSING = 2 ** 127;
export const DOUBLE_MISSING = 2 ** 1023;
/** The system missing `.` as stored by each type (the extended codes .a-.z follow it). */
export const SYSMISS = { byte: 101, int: 32741, long: 2147483621 } as const;

export interface Layout {
  nameLen: number; // varnames, value-label names
  formatLen: number;
  varLabelLen: number;
  dataLabelLenBytes: 1 | 2;
  kBytes: 2 | 4;
  nBytes: 4 | 8;
  sortBytes: 2 | 4;
  /** bytes of v inside the 8-byte (v,o) strL reference; o takes the rest */
  strlVBytes: 2 | 3 | 4;
  gsoOBytes: 4 | 8;
}

export function layoutOf(version: DtaVersion): Layout {
  if (version === 117)
    return { nameLen: 33, formatLen: 49, varLabelLen: 81, dataLabelLenBytes: 1, kBytes: 2, nBytes: 4, sortBytes: 2, strlVBytes: 4, gsoOBytes: 4 };
  return {
    nameLen: 129, formatLen: 57, varLabelLen: 321, dataLabelLenBytes: 2,
    kBytes: version === 119 ? 4 : 2, nBytes: 8, sortBytes: version === 119 ? 4 : 2,
    strlVBytes: version === 118 ? 2 : 3, gsoOBytes: 8,
  };
}

/** Storage width in bytes of a variable type code. */
export function typeWidth(t: number): number {
  if (t >= 1 && t <= 2045) return t;
  switch (t) {
    case DTA_TYPE.strL: return 8;
    case DTA_TYPE.double: return 8;
    case DTA_TYPE.float: return 4;
    case DTA_TYPE.long: return 4;
    case DTA_TYPE.int: return 2;
    case DTA_TYPE.byte: return 1;
    default: return -1;
  }
}

/** Map entries in order (14 offsets). */
export const MAP_TAGS = [
  '<stata_dta>', '<map>', '<variable_types>', '<varnames>', '<sortlist>', '<formats>',
  '<value_label_names>', '<variable_labels>', '<characteristics>', '<data>', '<strls>',
  '<value_labels>', '</stata_dta>', 'eof',
] as const;

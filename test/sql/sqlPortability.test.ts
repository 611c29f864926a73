// The SQL PanelSpec generates is meant to run, after a dialect rewrite, on BigQuery, Databricks SQL
// and Snowflake as well as DuckDB (docs/scale.md, "Beyond one machine"). This test records every
// statement a representative spec sends to DuckDB — the lazy data steps through the interpreter,
// and the estimator's passes through a recording SqlRunner — and checks, statement by statement:
//  - every function called is either PORTABLE (same name and meaning in all three engines) or a
//    documented DuckDB-only construct (NON_PORTABLE, each with its rewrite in docs/scale.md);
//  - every other DuckDB-only syntax found (:: casts, FILTER, VALUES lists ...) is a documented one;
//  - the estimator's DuckDB-only functions are written in its dialect module only
//    (server/src/engine/sql/dialect.ts), so a port replaces that module.
// A new function or construct in the generated SQL fails here until it is classified: added to
// PORTABLE if all three engines have it, or to NON_PORTABLE with its rewrite documented.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../grammar/src/index';
import { runProgram } from '../../server/src/runtime/interpreter';
import { DuckSession } from '../../server/src/data/duck/session';
import { createDuckRunner, type DuckRunner } from '../../server/src/engine/sql/duckRunner';
import { estimateSqlRoute } from '../../server/src/engine/sql/estimateSql';
import type { SqlRunner } from '../../server/src/engine/sql/runner';
import type { SqlRegressionSpec } from '../../server/src/engine/sql/spec';

const ROOT = join(__dirname, '..', '..', '..');
const DATA = join(ROOT, 'test', 'reference', 'data');

/** Functions with the same name and meaning in DuckDB, BigQuery, Databricks SQL and Snowflake. */
const PORTABLE = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'abs', 'sqrt', 'ln', 'exp', 'floor', 'ceil', 'round', 'sign',
  'coalesce', 'nullif', 'cast', 'row_number', 'lag', 'lead', 'first_value', 'last_value', 'upper', 'lower',
  'stddev_samp', 'var_samp', 'approx_count_distinct', 'power',
]);

/** A DuckDB-only construct: how to find it in a statement, and where the estimator may write it. */
interface NonPortable {
  /** the name docs/scale.md's table uses for it */
  doc: string;
  /** a function name, or a test of the statement (string literals and quoted names blanked) */
  fn?: string;
  re?: RegExp;
  test?: (blanked: string) => boolean;
}

/** Keywords after which a parenthesis opens an expression (so a comma inside it makes a row value). */
const EXPRESSION_KEYWORDS = new Set(['then', 'else', 'when', 'select', 'and', 'or', 'not', 'where', 'on', 'by', 'having', 'case']);

/**
 * A row value `(a, b)`: a parenthesis not opened by a function name or keyword, holding a comma at its
 * own level, not a subquery, and not one of a VALUES list's rows.
 */
function hasRowValue(blanked: string): boolean {
  const b = blanked.replace(/\bVALUES\s*(\([^()]*\)\s*,?\s*)+/gi, 'VALUES ');
  for (let i = 0; i < b.length; i++) {
    if (b[i] !== '(') continue;
    // opened by a function name, IN, OVER, USING, an alias's column list ...: not a row value
    const word = /([A-Za-z0-9_]+)\s*$/.exec(b.slice(Math.max(0, i - 40), i))?.[1];
    if (word && !EXPRESSION_KEYWORDS.has(word.toLowerCase())) continue;
    let depth = 0;
    let comma = false;
    let j = i + 1;
    for (; j < b.length && depth >= 0; j++) {
      if (b[j] === '(') depth++;
      else if (b[j] === ')') depth--;
      else if (b[j] === ',' && depth === 0) comma = true;
    }
    if (comma && !/^\s*(SELECT|VALUES|WITH)\b/i.test(b.slice(i + 1, j))) return true;
  }
  return false;
}
const NON_PORTABLE: NonPortable[] = [
  { doc: 'isnan(x)', fn: 'isnan' },
  { doc: 'isinf(x)', fn: 'isinf' },
  { doc: 'isfinite(x)', fn: 'isfinite' },
  { doc: 'hash(a, b)', fn: 'hash' },
  { doc: '(a, b)', test: hasRowValue }, // a row value (unnamed struct), e.g. distinct cells of several columns
  { doc: 'trunc(x)', fn: 'trunc' },
  { doc: 'least(a, b)', fn: 'least' }, // DuckDB skips NULL arguments; BigQuery and Snowflake return NULL
  { doc: 'greatest(a, b)', fn: 'greatest' },
  { doc: 'bool_and(c)', fn: 'bool_and' },
  { doc: 'read_csv(...)', fn: 'read_csv' },
  { doc: 'read_parquet(...)', fn: 'read_parquet' },
  { doc: 'x::TYPE', re: /::/ },
  { doc: 'FILTER (WHERE ...)', re: /\bFILTER\s*\(\s*WHERE\b/i },
  { doc: '(VALUES ...) AS t(a, b)', re: /\(\s*VALUES\b/i },
  { doc: 'CREATE TEMP VIEW', re: /\bCREATE\s+TEMP(ORARY)?\s+VIEW\b/i },
  { doc: 'CREATE TEMP TABLE', re: /\bCREATE\s+TEMP(ORARY)?\s+TABLE\b/i },
  { doc: 'DESCRIBE', re: /^\s*DESCRIBE\b/i },
  { doc: 'file_index, file_row_number', re: /\bfile_(index|row_number)\b/i },
  { doc: 'a << b', re: /<<|>>/ },
  { doc: '"name"', re: /"/ }, // quoted identifiers
];

/** Words that precede a parenthesis without being a function call. */
const KEYWORDS = new Set(['in', 'values', 'over', 'filter', 'where', 'and', 'or', 'not', 'then', 'else', 'when', 'on', 'from', 'join',
  'exists', 'select', 'by', 'case', 'as', 'end', 'distinct', 'is', 'between', 'preceding', 'following', 'using', 'with', 'view', 'table', 'limit']);

/** The statement with string literals and quoted identifiers blanked ('' and "" kept as markers). */
function blank(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""');
}

/** Names called as functions (lower case), leaving out keywords and `AS t(a, b)` column lists. */
function calledFunctions(sql: string): string[] {
  const b = blank(sql);
  const out: string[] = [];
  for (const m of b.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    const name = m[1].toLowerCase();
    if (KEYWORDS.has(name)) continue;
    if (/\bAS\s*$/i.test(b.slice(0, m.index))) continue; // AS mm(g, m0): an alias with column names
    out.push(name);
  }
  return out;
}

function found(np: NonPortable, sql: string): boolean {
  if (np.fn) return calledFunctions(sql).includes(np.fn);
  if (np.test) return np.test(blank(sql));
  return np.re!.test(np.doc === '"name"' ? sql : blank(sql));
}

// ---- recording -------------------------------------------------------------------------------
const stepSql: string[] = [];
for (const m of ['all', 'run', 'columns'] as const) {
  const original = DuckSession.prototype[m] as (this: DuckSession, sql: string, o?: object) => Promise<unknown>;
  Object.defineProperty(DuckSession.prototype, m, {
    configurable: true,
    writable: true,
    value(this: DuckSession, sql: string, o?: object) {
      stepSql.push(sql);
      return original.call(this, sql, o);
    },
  });
}

let db: DuckRunner | null = null;
after(() => {
  db?.close();
  rmSync(join(PARQUET, '..'), { recursive: true, force: true });
});

/** A runner that records every statement before DuckDB runs it. */
function recording(inner: SqlRunner, into: string[]): SqlRunner {
  return { all: (sql, o) => (into.push(sql), inner.all(sql, o)) };
}

// a representative spec: most data steps the SQL translation has, on a lazy Parquet file
const PARQUET = join(mkdtempSync(join(tmpdir(), 'pspec-portability-')), 'mpdta.parquet');
const SPEC = `use "${PARQUET.replace(/\\/g, '/')}", lazy
gen l2 = ln(lemp + 1) if year > 2003
replace l2 = 0 if missing(l2)
gen r = round(lpop, 0.5) + floor(lemp) + ceil(lpop) + int(-lemp) + mod(year, 3) + sign(lemp - 5) + sqrt(abs(lpop)) + exp(-abs(lemp))
gen c = cond(lemp > lpop, lemp, lpop) + min(lemp, lpop) + max(lemp, lpop, 0) + inlist(year, 2004, 2006) + inrange(lemp, 0, 10)
egen m = mean(lemp), by(countyreal)
egen s = sd(lemp), by(year)
bysort countyreal (year): gen k = _n
xtset countyreal year
gen lag = L.lemp
gen d = D.lemp
keep if year >= 2004
sort year countyreal
rename lpop lp
drop k
summarize lemp lp
tabstat lemp, by(year) stat(mean sd)
describe
reghdfe lemp l2 m, absorb(countyreal year) vce(cluster countyreal)
reg lemp lp if year > 2004, vce(robust)
`;

const MODELS: SqlRegressionSpec[] = [
  { depvar: 'lemp', regressors: ['post', 'lpop'], absorb: ['countyreal', 'year'], vce: { type: 'cluster', clusters: ['countyreal'] } },
  { depvar: 'lemp', regressors: ['post'], absorb: ['countyreal', 'year'], vce: { type: 'cluster', clusters: ['countyreal', 'year'] } },
  { depvar: 'lemp', regressors: ['post', 'lpop'], absorb: [], vce: { type: 'robust' } },
];

async function recordAll(): Promise<{ steps: string[]; estimation: string[] }> {
  db = await createDuckRunner({ threads: 2 });
  await db.all(`COPY (SELECT * FROM read_csv('${join(DATA, 'mpdta.csv')}')) TO '${PARQUET}' (FORMAT parquet)`);
  const out = await runProgram(parse(SPEC), { file: join(DATA, 'portability.pspec') });
  assert.ok(!out.error, `the representative spec runs: ${out.error?.message}`);
  await db.all(`CREATE VIEW mpdta AS SELECT *, treat * CASE WHEN year >= "first.treat" THEN 1 ELSE 0 END AS post FROM read_parquet('${PARQUET}')`);
  const estimation: string[] = [];
  const runner = recording(db, estimation);
  // every route: the FE sweep, the compression to cells, the iterative (alternating projections) one
  for (const spec of MODELS) {
    // (the iterative route takes two or more fixed effects)
    const routes = spec.absorb.length >= 2 ? (['sweep', 'compress', 'iterate'] as const) : (['sweep', 'compress'] as const);
    for (const route of routes) assert.equal((await estimateSqlRoute(runner, 'mpdta', { ...spec, route })).route, route);
  }
  return { steps: [...stepSql], estimation };
}
const recorded = recordAll();

test('the representative spec and models send SQL to DuckDB (the recording works)', async () => {
  const { steps, estimation } = await recorded;
  assert.ok(steps.length >= 15, `data-step statements recorded: ${steps.length}`);
  assert.ok(steps.some((s) => /CREATE TEMP VIEW/i.test(s)) && steps.some((s) => /GROUP BY/i.test(s)));
  assert.ok(estimation.length >= 5 * MODELS.length, `estimation statements recorded: ${estimation.length}`);
  assert.ok(estimation.some((s) => /GROUP BY/i.test(s)));
});

test('every function the generated SQL calls is portable or a documented DuckDB-only one', async () => {
  const { steps, estimation } = await recorded;
  const documented = new Set(NON_PORTABLE.filter((n) => n.fn).map((n) => n.fn!));
  const unknown = new Map<string, string>();
  for (const sql of [...steps, ...estimation]) {
    for (const f of calledFunctions(sql)) if (!PORTABLE.has(f) && !documented.has(f) && !unknown.has(f)) unknown.set(f, sql.slice(0, 300));
  }
  assert.deepEqual([...unknown.keys()], [], `functions neither portable nor documented as DuckDB-only:\n${[...unknown].map(([f, s]) => `  ${f}: ${s}`).join('\n')}`);
});

test('the estimator writes its DuckDB-only functions in its dialect module only', async () => {
  const { estimation } = await recorded;
  const used = NON_PORTABLE.filter((np) => np.fn && estimation.some((s) => found(np, s)));
  assert.ok(used.length > 0, 'the estimator uses some DuckDB-only function (isnan, approx_count_distinct over hash ...)');
  const dir = join(ROOT, 'server', 'src', 'engine', 'sql');
  // the modules that build SQL: all but the dialect itself and the DuckDB runner (which runs it)
  const builders = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'dialect.ts' && f !== 'duckRunner.ts');
  for (const f of builders) {
    const text = readFileSync(join(dir, f), 'utf8');
    for (const np of used) {
      assert.doesNotMatch(text, new RegExp(`\\b${np.fn}\\s*\\(`, 'i'), `${f} writes ${np.fn}(...) itself: it belongs in dialect.ts`);
    }
  }
});

test('every DuckDB-only construct found is listed in docs/scale.md with its rewrite', async () => {
  const { steps, estimation } = await recorded;
  const docs = readFileSync(join(ROOT, 'docs', 'scale.md'), 'utf8');
  const inUse = NON_PORTABLE.filter((np) => [...steps, ...estimation].some((s) => found(np, s)));
  assert.ok(inUse.length >= 5, `constructs in use: ${inUse.map((n) => n.doc).join(', ')}`);
  for (const np of inUse) assert.ok(docs.includes(`\`${np.doc}\``), `docs/scale.md lists \`${np.doc}\` (the generated SQL uses it)`);
});

test('the classifier finds what it looks for (calls, casts, literals and names blanked)', () => {
  assert.deepEqual(calledFunctions(`SELECT sum("x(1)") AS s, isnan(y), 'ln(' AS t FROM (VALUES (1, 2)) AS mm(a, b) WHERE x IN (1)`), ['sum', 'isnan']);
  assert.ok(found(NON_PORTABLE.find((n) => n.doc === 'x::TYPE')!, `SELECT '1'::DOUBLE`));
  assert.ok(!found(NON_PORTABLE.find((n) => n.doc === 'x::TYPE')!, `SELECT 'a::b'`));
  assert.ok(found(NON_PORTABLE.find((n) => n.doc.startsWith('FILTER'))!, 'SELECT count(*) FILTER (WHERE x IS NULL)'));
  const row = NON_PORTABLE.find((n) => n.doc === '(a, b)')!;
  assert.ok(found(row, 'SELECT approx_count_distinct(CASE WHEN c THEN (g0, g1) END)'));
  for (const sql of ['SELECT f(a, b), x IN (1, 2) FROM (SELECT a, b FROM t) AS s', "SELECT * FROM t JOIN (VALUES ('a', 1), ('b', 2)) AS mm(g, m) USING (g, h)", 'SELECT sum((a - b) * (c - d)) OVER (PARTITION BY a, b)'])
    assert.ok(!found(row, sql), sql);
});

// The lazy-dataset fixture of the end-to-end suites, written at test time with DuckDB's own SQL
// through the binding the INSTALLED extension ships (so this also proves that binding loads on the
// system's Node): panel.parquet, an unbalanced panel of 300 units x 8 years (1 in 20 rows dropped),
// and two specs that differ only in how they open it:
//   lazy.pspec    use "panel.parquet", lazy   -> DuckDB runs the data steps and the estimation
//   memory.pspec  use "panel.parquet"         -> the in-memory engine (the reference)
// Every value has at most 2 decimals and is computed from the unit and year by integer arithmetic,
// so both backends read exactly the same numbers.
// usage: node lazy-fixture.mjs <installed-extension-dir> <outDir>
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [extDir, outDir] = process.argv.slice(2);
if (!extDir || !outDir) {
  console.error('usage: node lazy-fixture.mjs <installed-extension-dir> <outDir>');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
// resolved as the extension's dist/cli.js resolves it
const { DuckDBInstance } = createRequire(join(extDir, 'dist', 'cli.js'))('@duckdb/node-api');

const SQL = `
  COPY (
    SELECT u AS unit, 2010 + t AS year,
      (u % 7) AS region,
      round(((u * 37 + t * 11) % 101) / 10.0, 2) AS x1,
      round(((u * 13 + t * 29) % 53) / 4.0, 2) AS x2,
      round(0.8 * (((u * 37 + t * 11) % 101) / 10.0) - 0.35 * (((u * 13 + t * 29) % 53) / 4.0)
        + (u % 17) / 3.0 + 0.4 * t + ((u * 7919 + t * 104729) % 1009) / 500.0, 2) AS y
    FROM range(300) r1(u), range(8) r2(t)
    WHERE (u * 31 + t * 17) % 20 <> 0
    ORDER BY unit, year
  ) TO '${join(outDir, 'panel.parquet').replace(/'/g, "''")}' (FORMAT parquet)`;

const steps = [
  'gen lx2 = ln(x2 + 1)',
  'keep if year >= 2011',
  'summarize y x1 lx2',
  'reghdfe y x1 lx2, absorb(unit year) vce(cluster unit)',
];
const spec = (use) => ['* written by test/e2e/harness/lazy-fixture.mjs', use, ...steps, ''].join('\n');

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(SQL);
const { n } = (await con.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(outDir, 'panel.parquet')}')`)).getRowObjects()[0];
con.closeSync();
writeFileSync(join(outDir, 'lazy.pspec'), spec('use "panel.parquet", lazy'));
writeFileSync(join(outDir, 'memory.pspec'), spec('use "panel.parquet"'));
console.log(`lazy-fixture: ${outDir}/panel.parquet (${n} rows), lazy.pspec, memory.pspec`);

// Entry point of dist/cli.js (bin/panelspec.js): `panelspec run FILE.pspec [--json OUT]` and
// `panelspec lsp --stdio`. Everything is caught here so that no stack trace ever reaches the user.
import { parseArgs, USAGE, UsageError } from './args';
import { setFlagsFromString } from 'node:v8';
import { runSpec, visibleControls } from './run';

declare const PANELSPEC_VERSION: string | undefined;

async function main(argv: string[]): Promise<number> {
  let cmd;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${visibleControls(`panelspec: error: ${e.message}`)}\n${USAGE}\n`);
      return 1; // nothing was run: the contract's status for a spec that cannot run
    }
    throw e;
  }
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return argv.length ? 0 : 1;
    case 'version':
      process.stdout.write(`${typeof PANELSPEC_VERSION === 'string' ? PANELSPEC_VERSION : '0.1.0'}\n`);
      return 0;
    case 'lsp': {
      // loaded only here: `run` must not pay for the language server
      const { startLanguageServer } = await import('../lsp/server');
      await startLanguageServer();
      return -1; // keeps running until the client disconnects
    }
    case 'run':
      // A model's loops over a million rows are compiled while they run (on-stack replacement). Done on a
      // background thread, as V8 does by default, the loop keeps running in the interpreter until that
      // thread gets a core; on a busy machine that is most of the first model, with a garbage collection
      // every few milliseconds for the numbers the interpreter boxes. Compiled at once on this thread,
      // the first model took 10-20 % less CPU (the next ones 20-30 %) in the bench's workloads. Only for
      // `run`: the language server keeps V8's defaults.
      setFlagsFromString('--no-concurrent-osr');
      return runSpec(cmd, {
        out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
        err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
        cwd: process.cwd(),
      });
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    const file = process.argv[3] ?? 'panelspec';
    process.stderr.write(visibleControls(`${file}:1:1: error: internal error: ${e instanceof Error ? e.message : String(e)}`) + '\n');
    process.exitCode = 2;
  },
);

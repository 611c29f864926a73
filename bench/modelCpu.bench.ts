// CPU seconds per statement of a spec, in process (the CLI's run, with its V8 flags): on a busy machine
// wall times swing with the load while a statement's CPU time barely does, so this is the measure to
// compare two builds of the engine when the machine is shared. The figures come from
// cli.bench.ts (wall, side by side with fixest); this one is for development.
//   node scripts/build.mjs --only bench/modelCpu && node out/bench/modelCpu.bench.js SPEC [--reps N]
// Prints, for each statement, the median over N fresh processes of CPU and wall seconds.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parse } from '../grammar/src/index';
import { runProgram } from '../server/src/runtime/interpreter';

const args = process.argv.slice(2);
const at = args.indexOf('--reps');
const reps = (at >= 0 && Number(args[at + 1])) || 5;
const spec = args.find((a, i) => !a.startsWith('--') && !(at >= 0 && i === at + 1));

async function once(file: string): Promise<void> {
  setFlagsFromString('--no-concurrent-osr'); // as the CLI's `run`
  const abs = resolve(file);
  const program = parse(readFileSync(abs, 'utf8'));
  let cpu = process.cpuUsage();
  let wall = performance.now();
  const rows: string[] = [];
  await runProgram(program, {
    file: abs,
    baseDir: dirname(abs),
    onResult: (r) => {
      const c = process.cpuUsage(cpu);
      const now = performance.now();
      rows.push(`${r.line} ${r.kind} ${((c.user + c.system) / 1e6).toFixed(4)} ${((now - wall) / 1000).toFixed(4)}`);
      cpu = process.cpuUsage();
      wall = now;
    },
  });
  process.stdout.write(rows.join('\n') + '\n');
}

if (process.env.MODEL_CPU_CHILD) {
  void once(process.env.MODEL_CPU_CHILD);
} else {
  if (!spec) throw new Error('usage: modelCpu.bench.js SPEC [--reps N]');
  const runs: string[][][] = [];
  for (let k = 0; k < reps; k++) {
    const r = spawnSync(process.execPath, [__filename], { env: { ...process.env, MODEL_CPU_CHILD: spec }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(r.stdout.trim().split('\n').map((l) => l.split(' ')));
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  runs[0].forEach((row, q) => {
    const cpu = median(runs.map((r) => Number(r[q][2])));
    const wall = median(runs.map((r) => Number(r[q][3])));
    console.log(`line ${row[0]} ${row[1]}: CPU ${cpu.toFixed(3)} s, wall ${wall.toFixed(3)} s (median of ${reps})`);
  });
}

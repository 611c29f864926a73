// A finished run (the server's results notification) as a history record: its results without
// the vcov matrices, the seeds it used, and a fingerprint of each data file it read.

import type { ResultsParams } from '../../../server/src/protocol';
import { slimOutput } from '../resultsState';
import { fingerprint } from './dataFingerprint';
import { type RunRecord, dataFiles, runId, runSeeds } from './runRecord';

export interface RecordContext {
  version: string; // PanelSpec's version (the extension's package.json)
  time: Date;
  seq: number; // distinguishes runs finishing in the same millisecond
  specDir?: string; // the spec's folder (data paths are relative to it); none for an untitled spec
  fullHashLimit?: number;
}

export async function buildRecord(params: ResultsParams, ctx: RecordContext): Promise<RunRecord> {
  const output = slimOutput(params.output);
  const files = dataFiles(output.results);
  const data = ctx.specDir === undefined ? files.map((file) => ({ file, path: file, missing: 'the spec is not saved in a folder' })) : await Promise.all(files.map((f) => fingerprint(f, ctx.specDir!, ctx.fullHashLimit)));
  return {
    id: runId(ctx.time, ctx.seq),
    uri: params.uri,
    time: ctx.time.toISOString(),
    version: ctx.version,
    ...(params.line !== undefined ? { line: params.line } : {}),
    ...(params.seconds !== undefined ? { seconds: params.seconds } : {}),
    ...(params.error ? { error: params.error } : {}),
    seeds: runSeeds(params.text, output.results),
    data,
    ...(params.text !== undefined ? { text: params.text } : {}),
    output,
  };
}

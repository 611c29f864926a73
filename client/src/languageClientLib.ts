// vscode-languageclient's Node entry, typed in a way that holds whatever `moduleResolution` the
// project uses: the types come by relative path (the package's "exports" map hides lib/ from
// `bundler`/`node16` resolution, and `node` resolution cannot see the `/node` subpath), the code
// by the public subpath, which esbuild resolves through "exports".
import type * as LC from '../../node_modules/vscode-languageclient/lib/node/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lc = require('vscode-languageclient/node') as typeof LC;

export const LanguageClient = lc.LanguageClient;
export type LanguageClient = LC.LanguageClient;
export const TransportKind = lc.TransportKind;
export type LanguageClientOptions = LC.LanguageClientOptions;
export type ServerOptions = LC.ServerOptions;

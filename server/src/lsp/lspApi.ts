// vscode-languageserver's Node entry, typed so that it holds under whatever `moduleResolution` the
// project uses: the package's "exports" map hides its `/node` subpath from `node` resolution and its
// lib/ from `bundler`, so types come by relative path and the code by the public subpath, which
// esbuild resolves through "exports" (as client/src/languageClientLib.ts does for the client).
import type * as LS from '../../../node_modules/vscode-languageserver/lib/node/main';
import type * as Types from 'vscode-languageserver-types';
import type * as Proto from '../../../node_modules/vscode-languageserver-protocol/lib/common/protocol';
import type * as Cancel from '../../../node_modules/vscode-jsonrpc/lib/common/cancellation';
import type * as Rpc from '../../../node_modules/vscode-jsonrpc/lib/common/messages';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ls = require('vscode-languageserver/node') as typeof LS & typeof Types & typeof Proto;

export const createConnection = ls.createConnection;
export const ProposedFeatures = ls.ProposedFeatures;
export const TextDocuments = ls.TextDocuments;
export const SemanticTokensBuilder = ls.SemanticTokensBuilder;
export const TextDocumentSyncKind = ls.TextDocumentSyncKind;
export const DidChangeConfigurationNotification = ls.DidChangeConfigurationNotification;
export const CodeActionKind = ls.CodeActionKind;
export const CompletionItemKind = ls.CompletionItemKind;
export const DiagnosticSeverity = ls.DiagnosticSeverity;
export const FoldingRangeKind = ls.FoldingRangeKind;
export const InlayHintKind = ls.InlayHintKind;
export const InsertTextFormat = ls.InsertTextFormat;
export const MarkupKind = ls.MarkupKind;
export const SymbolKind = ls.SymbolKind;
// jsonrpc's error type (re-exported by vscode-languageserver at run time)
export const ResponseError = (ls as unknown as typeof Rpc).ResponseError;
export const ErrorCodes = (ls as unknown as typeof Rpc).ErrorCodes;

export type Connection = LS.Connection;
export type WorkDoneProgressReporter = LS.WorkDoneProgressReporter;
export type CancellationToken = Cancel.CancellationToken;
export type CodeActionParams = Proto.CodeActionParams;
export type InitializeParams = Proto.InitializeParams;
export type InitializeResult = Proto.InitializeResult;
export type DiagnosticSeverity = Types.DiagnosticSeverity;
export type CodeAction = Types.CodeAction;
export type CodeLens = Types.CodeLens;
export type CompletionItem = Types.CompletionItem;
export type CompletionList = Types.CompletionList;
export type Diagnostic = Types.Diagnostic;
export type DocumentSymbol = Types.DocumentSymbol;
export type FoldingRange = Types.FoldingRange;
export type Hover = Types.Hover;
export type InlayHint = Types.InlayHint;
export type Position = Types.Position;
export type Range = Types.Range;
export type SemanticTokens = Types.SemanticTokens;
export type SemanticTokensLegend = Types.SemanticTokensLegend;
export type SignatureHelp = Types.SignatureHelp;
export type ParameterInformation = Types.ParameterInformation;

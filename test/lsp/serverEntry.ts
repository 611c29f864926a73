// Test entry that starts the language server directly (used until/unless dist/cli.js is built).
import { startLanguageServer } from '../../server/src/lsp/server';

startLanguageServer();

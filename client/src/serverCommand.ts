// The language server's command line, `node <ext>/dist/cli.js lsp --stdio` (pure, testable).

/** The extension host's own runtime running the bundled CLI. */
export function serverCommand(cliPath: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
  return { command: process.execPath, args: [cliPath, 'lsp', '--stdio'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}

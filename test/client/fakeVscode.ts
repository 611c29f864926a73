// A minimal stand-in for the `vscode` module, enough to drive the results panel and the commands
// in Node (the real editor is exercised by the e2e tests). Installed before the client modules
// load: import this file first.

import Module from 'node:module';

type Fn = (...a: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class Uri {
  constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):\/\/(.*)$/i.exec(s);
    if (!m) throw new Error(`bad uri ${s}`);
    return new Uri(m[1], m[2].replace(/^[^/]*/, ''));
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, [u.path, ...parts].join('/').replace(/\/+/g, '/'));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export interface FakePanel {
  title: string;
  visible: boolean;
  viewColumn: number;
  webview: { html: string; options: unknown; cspSource: string; posted: unknown[]; postMessage(m: unknown): Promise<boolean>; onDidReceiveMessage(f: Fn): { dispose(): void }; receive(m: unknown): void };
  reveal(): void;
  onDidDispose(f: Fn): { dispose(): void };
  onDidChangeViewState(f: Fn): { dispose(): void };
  dispose(): void;
}

export const world = {
  trusted: true,
  commands: new Map<string, Fn>(),
  executed: [] as string[],
  messages: [] as { level: string; text: string }[],
  logs: [] as string[],
  panels: [] as FakePanel[],
  shown: [] as FakePanel[], // panels revealed, in order
  clipboard: '',
  written: new Map<string, Uint8Array>(),
  quickPicks: [] as unknown[], // answers, in order
  saveTarget: undefined as Uri | undefined,
  revealed: [] as { uri: string; line: number; character: number }[],
  serializer: undefined as undefined | { deserializeWebviewPanel: Fn },
  activeEditor: undefined as unknown,
  config: {} as Record<string, unknown>,
};

function panel(): FakePanel {
  let handler: Fn | undefined;
  const p: FakePanel = {
    title: '',
    visible: true,
    viewColumn: 2,
    webview: {
      html: '',
      options: {},
      cspSource: 'vscode-webview://fake',
      posted: [],
      postMessage: async (m) => (p.webview.posted.push(m), true),
      onDidReceiveMessage: (f) => ((handler = f), { dispose() {} }),
      receive: (m) => handler?.(m),
    },
    reveal() {
      world.shown.push(p);
    },
    onDidDispose: () => ({ dispose() {} }),
    onDidChangeViewState: () => ({ dispose() {} }),
    dispose() {},
  };
  world.panels.push(p);
  return p;
}

const message = (level: string) => async (text: string) => {
  world.messages.push({ level, text });
  return undefined;
};

export const vscode = {
  Uri,
  ViewColumn: { One: 1, Beside: -2 },
  Position: class {
    constructor(
      readonly line: number,
      readonly character: number,
    ) {}
  },
  CancellationTokenSource: class {
    private listeners: (() => void)[] = [];
    readonly token = {
      isCancellationRequested: false,
      onCancellationRequested: (f: () => void) => (this.listeners.push(f), { dispose() {} }),
    };
    cancel(): void {
      this.token.isCancellationRequested = true;
      for (const f of this.listeners) f();
    }
    dispose(): void {}
  },
  Range: class {
    constructor(
      readonly start: unknown,
      readonly end: unknown,
    ) {}
  },
  commands: {
    registerCommand: (id: string, f: Fn) => (world.commands.set(id, f), { dispose() {} }),
    executeCommand: async (id: string) => void world.executed.push(id),
  },
  window: {
    createWebviewPanel: () => panel(),
    registerWebviewPanelSerializer: (_t: string, s: { deserializeWebviewPanel: Fn }) => ((world.serializer = s), { dispose() {} }),
    showInformationMessage: message('info'),
    showWarningMessage: message('warning'),
    showErrorMessage: message('error'),
    setStatusBarMessage: (text: string) => (world.messages.push({ level: 'status', text }), { dispose() {} }),
    showQuickPick: async <T>(items: T[]) => {
      const want = world.quickPicks.shift();
      return items.find((i) => JSON.stringify(i).includes(String(want)));
    },
    showSaveDialog: async () => world.saveTarget,
    showTextDocument: async (doc: { uri: Uri }, o: { selection: { start: { line: number; character: number } } }) =>
      void world.revealed.push({ uri: doc.uri.toString(), line: o.selection.start.line, character: o.selection.start.character }),
    get activeTextEditor() {
      return world.activeEditor;
    },
  },
  workspace: {
    get isTrusted() {
      return world.trusted;
    },
    getConfiguration: () => ({ get: (k: string) => world.config[k] }),
    getWorkspaceFolder: () => undefined,
    workspaceFolders: undefined,
    asRelativePath: (u: Uri) => u.path,
    openTextDocument: async (uri: Uri) => ({ uri, lineCount: 100, lineAt: () => ({ text: 'x'.repeat(80) }) }),
    fs: {
      createDirectory: async () => undefined,
      writeFile: async (u: Uri, b: Uint8Array) => void world.written.set(u.path, b),
      stat: async () => ({}),
    },
  },
  env: { clipboard: { writeText: async (t: string) => void (world.clipboard = t) } },
};

export const log = {
  info: (s: string) => world.logs.push(`info ${s}`),
  warn: (s: string) => world.logs.push(`warn ${s}`),
  error: (s: string) => world.logs.push(`error ${s}`),
};

// Resolve `require('vscode')` to the fake.
const M = Module as unknown as { _load: Fn };
const original = M._load;
M._load = function (request: string, ...rest: unknown[]) {
  if (request === 'vscode') return vscode;
  return original.call(this, request, ...rest);
};

// Workspace trust: in Restricted Mode the server still parses and validates, but running a spec
// (which reads data files and writes exports) and exporting tables are refused.

export type GuardedAction = 'run' | 'export' | 'dataViewer';

const ACTION_TEXT: Record<GuardedAction, string> = {
  run: 'run specs',
  export: 'write table or plot files',
  dataViewer: 'load data',
};

export function untrustedMessage(action: GuardedAction): string {
  return `PanelSpec does not ${ACTION_TEXT[action]} in Restricted Mode: this folder is not trusted. Checking and completion still work. Trust the folder to ${ACTION_TEXT[action]}.`;
}

export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const MANAGE_TRUST_LABEL = 'Manage Workspace Trust';

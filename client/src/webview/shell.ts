// The frame every results-panel page shares: the strict CSP (nothing remote, scripts and styles
// only with the nonce), the theme stylesheet, the embedded state and the page script. Pure.

import { escapeHtml } from '../../../server/src/results/render/escape';
import { PAGE_CSS } from './styles';
import { webviewMain } from './script';

/** JSON safe inside <script type="application/json">: no `<`, `>`, `&` or line separators raw. */
export function jsonForScript(x: unknown): string {
  return JSON.stringify(x)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export interface ShellParts {
  title: string;
  body: string[];
  cspSource: string;
  nonce: string;
  bodyClass?: string;
  state?: unknown; // saved with setState (the serializer restores the panel from it)
}

export function pageShell(p: ShellParts): string {
  const nonce = escapeHtml(p.nonce);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="UTF-8">',
    // Quotes in the policy stay literal (the attribute is double-quoted); only `"`, `<`, `&` would break it.
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(p.cspSource, p.nonce).replace(/[&"<>]/g, (c) => escapeHtml(c))}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
    `<title>${escapeHtml(p.title)}</title>`,
    `<style nonce="${nonce}">${PAGE_CSS}</style>`,
    '</head>',
    `<body${p.bodyClass ? ` class="${escapeHtml(p.bodyClass)}"` : ''}>`,
    ...p.body,
    p.state !== undefined ? `<script type="application/json" id="ps-state" nonce="${nonce}">${jsonForScript(p.state)}</script>` : '',
    `<script nonce="${nonce}">(${webviewMain.toString()})();</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// Debian's chromium driven by playwright-core (no Playwright browser download on this offline
// machine). Playwright gives every launch a fresh, throw-away profile directory.
import { chromium } from 'playwright-core';
import { format } from 'node:util';

export const launchBrowser = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });

// Workbench console lines that only say "this machine is offline", or routine start-up chatter.
// E2E_VERBOSE=1 prints everything.
const NOISE = /ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|open-vsx|marketplace|AgentHost|authentication provider|^(Resolv|Creat|Updating additional|\[Service Worker|\[reconnection|\[AccountPolicy|ChatSessionStore)/;
export const logLine = (type, args) => {
  const line = format(...args).replace(/%c/g, '');
  if (process.env.E2E_VERBOSE || !NOISE.test(line)) console.log(`  [${type}] ${line}`);
};

/** URL of the workbench with `folder` open (a path on the code-server machine). */
export const workbenchUrl = (base, folder, extra = '') => `${base}/?folder=${encodeURIComponent(folder)}${extra}`;

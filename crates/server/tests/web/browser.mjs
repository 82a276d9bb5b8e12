// Debian's Chromium as the tests and the measurement launch it: headless, sandbox off (root),
// and none of the background connections this machine's closed network would refuse.

import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

// The binary itself rather than /usr/bin/chromium, Debian's wrapper script.
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

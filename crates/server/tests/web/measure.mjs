// Measures the web client on a running server (scripts/measure-web-client): for each of `runs`
// fresh browser contexts, the bytes of every response the page loads until it is interactive
// (its first screen shown after the session is read) and the time that takes from navigation.
// Prints medians, and the weight per file of the last run.

import { launch } from './browser.mjs';

const [href, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 15);
const browser = await launch();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const weights = [];
const times = [];
let files = [];
for (let run = 0; run < runs; run += 1) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const client = await context.newCDPSession(page);
  await client.send('Network.enable');
  const sizes = new Map();
  client.on('Network.responseReceived', (event) => sizes.set(event.requestId, { url: event.response.url, bytes: 0 }));
  client.on('Network.loadingFinished', (event) => {
    const entry = sizes.get(event.requestId);
    if (entry) entry.bytes = event.encodedDataLength;
  });
  const started = Date.now();
  await page.goto(href);
  await page.waitForSelector('body[data-ready="true"][data-step]');
  times.push(Date.now() - started);
  await page.waitForTimeout(200);
  files = [...sizes.values()];
  weights.push(files.reduce((sum, f) => sum + f.bytes, 0));
  await context.close();
}
await browser.close();
console.log(`runs: ${runs}`);
console.log(`time to interactive: median ${median(times)} ms (min ${Math.min(...times)}, max ${Math.max(...times)})`);
console.log(`page weight: median ${median(weights)} bytes on the wire`);
for (const file of files) console.log(`  ${String(file.bytes).padStart(7)}  ${new URL(file.url).pathname}`);

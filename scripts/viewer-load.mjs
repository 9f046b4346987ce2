#!/usr/bin/env node
// Measures the capture viewer on a big capture in headless Chromium: the time
// to decode it, how many progress updates the page showed, and the longest the
// page's main thread was busy (the gap between two timer ticks of a 50 ms
// probe), which is what a person feels as the page freezing.
// usage: node scripts/viewer-load.mjs CAPTURE [KEYLOG]
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(new URL("..", import.meta.url).pathname);
const capture = resolve(process.argv[2] ?? "");
const keyLog = process.argv[3] ? resolve(process.argv[3]) : undefined;
execFileSync(process.execPath, [join(root, "scripts/build-viewer.mjs")], { stdio: "inherit" });
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer((req, res) => {
  const path = join(root, "viewer/dist", new URL(req.url ?? "/", "http://x").pathname.replace(/^\/$/, "/index.html"));
  try {
    const body = readFileSync(path);
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.evaluate(() => {
    const w = window;
    w.__probe = { maxGap: 0, last: performance.now(), progress: new Set() };
    setInterval(() => {
      const now = performance.now();
      w.__probe.maxGap = Math.max(w.__probe.maxGap, now - w.__probe.last);
      w.__probe.last = now;
      w.__probe.progress.add(document.getElementById("progress").value.toFixed(2));
    }, 50);
  });
  if (keyLog) await page.setInputFiles("#keylog-file", keyLog);
  const t0 = Date.now();
  await page.setInputFiles("#capture-file", capture);
  await page.waitForFunction(() => /^\d+ frames/.test(document.getElementById("status")?.textContent ?? ""), undefined, {
    timeout: 0,
    polling: 500,
  });
  const seconds = (Date.now() - t0) / 1000;
  const probe = await page.evaluate(() => ({ maxGap: window.__probe.maxGap, progressSteps: window.__probe.progress.size }));
  const status = await page.textContent("#status");
  const mb = statSync(capture).size / 1e6;
  console.log(
    JSON.stringify({
      capture,
      megabytes: Number(mb.toFixed(1)),
      seconds,
      megabytesPerSecond: Number((mb / seconds).toFixed(1)),
      longestMainThreadStallMs: Math.round(probe.maxGap),
      progressSteps: probe.progressSteps,
      status,
    }),
  );
} finally {
  await browser.close();
  server.close();
}

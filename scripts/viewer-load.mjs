#!/usr/bin/env node
// Measures the capture viewer on a big capture in headless Chromium: the time
// to decode it, how many progress updates the page showed, and the longest the
// page's main thread was busy (the gap between two timer ticks of a 50 ms
// probe), which is what a person feels as the page freezing.
// usage: node scripts/viewer-load.mjs CAPTURE [KEYLOG]
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { decoded, withViewerPage } from "./viewer-page.mjs";

const capture = resolve(process.argv[2] ?? "");
const keyLog = process.argv[3] ? resolve(process.argv[3]) : undefined;
await withViewerPage(async (page) => {
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
  await decoded(page, { timeout: 0, polling: 500 });
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
});

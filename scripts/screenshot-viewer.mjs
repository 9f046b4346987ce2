#!/usr/bin/env node
// Takes the README's screenshot of the capture viewer: builds viewer/dist,
// serves it on loopback, opens it in headless Chromium (playwright-core with
// Debian's chromium), loads a shipped capture (and its key log) through the
// page's file inputs, and saves docs/viewer.png.
// usage: node scripts/screenshot-viewer.mjs [CAPTURE] [KEYLOG]
import { join, resolve } from "node:path";
import { decoded, root, withViewerPage } from "./viewer-page.mjs";

const capture = resolve(process.argv[2] ?? join(root, "fixtures/captures/h2-session.pcapng"));
const keyLog = process.argv[3] ? resolve(process.argv[3]) : undefined;

await withViewerPage(async (page) => {
  if (keyLog) await page.setInputFiles("#keylog-file", keyLog);
  await page.setInputFiles("#capture-file", capture);
  await decoded(page);
  await page.click("#rows .row:nth-child(4)");
  await page.screenshot({ path: join(root, "docs/viewer.png") });
  console.log(`docs/viewer.png: ${await page.textContent("#status")}`);
});

#!/usr/bin/env node
// Takes the README's screenshot of the capture viewer: builds viewer/dist,
// serves it on loopback, opens it in headless Chromium (playwright-core with
// Debian's chromium), loads a shipped capture (and its key log) through the
// page's file inputs, and saves docs/viewer.png.
// usage: node scripts/screenshot-viewer.mjs [CAPTURE] [KEYLOG]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

const root = resolve(new URL("..", import.meta.url).pathname);
const capture = resolve(process.argv[2] ?? join(root, "fixtures/captures/h2-session.pcapng"));
const keyLog = process.argv[3] ? resolve(process.argv[3]) : undefined;
execFileSync(process.execPath, [join(root, "scripts/build-viewer.mjs")], { stdio: "inherit" });

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };
const server = createServer((req, res) => {
  const path = join(root, "viewer/dist", new URL(req.url ?? "/", "http://x").pathname.replace(/^\/$/, "/index.html"));
  try {
    const body = readFileSync(path);
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(body);
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
  if (keyLog) await page.setInputFiles("#keylog-file", keyLog);
  await page.setInputFiles("#capture-file", capture);
  await page.waitForFunction(() => /^\d+ frames/.test(document.getElementById("status")?.textContent ?? ""));
  await page.click("#rows .row:nth-child(4)");
  await page.screenshot({ path: join(root, "docs/viewer.png") });
  console.log(`docs/viewer.png: ${await page.textContent("#status")}`);
} finally {
  await browser.close();
  server.close();
}

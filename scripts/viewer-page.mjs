// The capture viewer in headless Chromium, for the scripts that drive it
// (screenshot-viewer.mjs, viewer-load.mjs): builds viewer/dist, serves it on
// a free loopback port, opens it in Debian's chromium (playwright-core;
// CHROMIUM_PATH overrides the path) and closes browser and server when done.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { chromium } from "playwright-core";

/** The repository root. */
export const root = resolve(new URL("..", import.meta.url).pathname);

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/**
 * Builds the viewer, opens it in a fresh 1280x760 page and runs `use(page)`;
 * browser and server are closed whatever `use` does. Returns what `use` returns.
 * @template T
 * @param {(page: import("playwright-core").Page) => Promise<T>} use
 * @returns {Promise<T>}
 */
export async function withViewerPage(use) {
  execFileSync(process.execPath, [join(root, "scripts/build-viewer.mjs")], { stdio: "inherit" });
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
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      return await use(page);
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
}

/**
 * Waits until the viewer says it has decoded the capture ("N frames ..." in
 * #status), polling every `polling` ms for up to `timeout` ms (0: no limit).
 * @param {import("playwright-core").Page} page
 */
export function decoded(page, { timeout = 30_000, polling = "raf" } = {}) {
  return page.waitForFunction(() => /^\d+ frames/.test(document.getElementById("status")?.textContent ?? ""), undefined, {
    timeout,
    polling,
  });
}

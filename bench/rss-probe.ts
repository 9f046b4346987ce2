/**
 * Child process for the RSS measurement: runs the CLI's `decode` command
 * in-process on one file (standard output goes to /dev/null, as the parent
 * spawns it), then prints to stderr one JSON line with the RSS before
 * decoding and the process's peak RSS (`process.resourceUsage().maxRSS`,
 * KiB). Run: `node --import tsx bench/rss-probe.ts <capture> > /dev/null`.
 */
import { main, processIo } from "../src/cli/main.js";

async function run(): Promise<void> {
  const file = process.argv[2]!;
  const rssBeforeKiB = process.memoryUsage().rss / 1024;
  const t0 = performance.now();
  let exitCode: number;
  try {
    exitCode = await main(["decode", file], processIo());
  } catch (e) {
    process.stderr.write(`${JSON.stringify({ error: String(e) })}\n`);
    return;
  }
  const seconds = (performance.now() - t0) / 1000;
  process.stderr.write(`${JSON.stringify({ rssBeforeKiB, maxRssKiB: process.resourceUsage().maxRSS, exitCode, seconds })}\n`);
}

void run();

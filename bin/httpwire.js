#!/usr/bin/env node
// The `httpwire` command: a thin launcher for the built CLI (dist/cli/main.js).
import { main, processIo } from "../dist/cli/main.js";

try {
  process.exitCode = await main(process.argv.slice(2), processIo());
} catch (e) {
  process.stderr.write(`httpwire: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 70;
}

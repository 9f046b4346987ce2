/**
 * Runs every `ts` code block of README.md. A line `expr; // => value`
 * becomes `expect(expr).toEqual(value)`, so the README cannot drift from
 * the code. Blocks are written to a scratch module under test/ (so the
 * `httpwire/*` aliases resolve) and imported.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "./helpers/corpora.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const scratch = join(REPO_ROOT, "test", ".readme-blocks");

/** Turns `expr; // => value` lines into assertions; keeps imports at the top. */
function toModule(code: string): string {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of code.split("\n")) {
    if (/^import\s/.test(line)) {
      imports.push(line);
      continue;
    }
    const m = /^(.*?);\s*\/\/ => (.*)$/.exec(line);
    body.push(m ? `expect(${m[1]}).toEqual(${m[2]});` : line);
  }
  return `import { expect } from "vitest";\n${imports.join("\n")}\nexport async function run(): Promise<void> {\n${body.join("\n")}\n}\n`;
}

describe("README.md examples", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("there are examples, and each asserts something", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) expect(b).toMatch(/\/\/ => /);
  });

  blocks.forEach((code, i) => {
    test(`block ${i + 1}: ${code.split("\n").find((l) => l.startsWith("import"))}`, async () => {
      mkdirSync(scratch, { recursive: true });
      const file = join(scratch, `block-${i + 1}.ts`);
      writeFileSync(file, toModule(code));
      const mod = (await import(/* @vite-ignore */ file)) as { run: () => Promise<void> };
      await mod.run();
    });
  });
});

/**
 * Runs every `@example` block of the library's JSDoc (what the API reference
 * shows), as test/readme.test.ts runs the README's. Each block becomes a
 * module that imports, besides its own imports, everything its subpath
 * exports; a line `expr; // => value` becomes `expect(expr).toEqual(value)`,
 * and a trailing `// value` comment after a call is left as prose.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "./helpers/corpora.js";

const SRC = join(REPO_ROOT, "src");
const scratch = join(REPO_ROOT, "test", ".jsdoc-examples");

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith(".ts")) yield path;
  }
}

interface Example {
  readonly file: string;
  readonly line: number;
  readonly subpath: string;
  readonly code: string;
}

/** The `@example` blocks of one source file, with the comment stars removed. */
function examplesOf(file: string): Example[] {
  const text = readFileSync(file, "utf8");
  const rel = relative(SRC, file);
  const top = rel.split("/")[0]!;
  const subpath = top === "index.ts" || top === "shared" ? "httpwire" : `httpwire/${top}`;
  const out: Example[] = [];
  for (const m of text.matchAll(/@example[^\n]*\n((?:\s*\*[^\n]*\n)*?)\s*\*\s*```ts\n((?:\s*\*[^\n]*\n)*?)\s*\*\s*```/g)) {
    const code = m[2]!
      .split("\n")
      .map((l) => l.replace(/^\s*\* ?/, ""))
      .join("\n");
    out.push({ file: rel, line: text.slice(0, m.index).split("\n").length, subpath, code });
  }
  return out;
}

const examples = [...files(SRC)].filter((f) => !f.includes(`${join("src", "cli")}`)).flatMap(examplesOf);

/** Module source for one example. */
function toModule(ex: Example, exportsOf: string[]): string {
  const imports: string[] = [];
  const body: string[] = [];
  for (const line of ex.code.split("\n")) {
    if (/^import\s/.test(line)) {
      // An internal function's example may import a sibling module by a relative path.
      imports.push(line.replace(/from "(\.\.?\/[^"]*)"/, (_, rel: string) => `from ${JSON.stringify(join(SRC, dirname(ex.file), rel))}`));
      continue;
    }
    const m = /^(.*?);\s*\/\/ => (.*)$/.exec(line);
    body.push(m ? `expect(${m[1]}).toEqual(${m[2]});` : line);
  }
  const own = new Set(
    imports.flatMap((l) =>
      (/\{([^}]*)\}/.exec(l)?.[1] ?? "").split(",").map(
        (s) =>
          s
            .trim()
            .split(/\s+as\s+/)
            .pop()!,
      ),
    ),
  );
  const auto = exportsOf.filter((n) => !own.has(n));
  const autoImport = auto.length > 0 ? `import { ${auto.join(", ")} } from "${ex.subpath}";\n` : "";
  return `import { expect } from "vitest";\n${autoImport}${imports.join("\n")}\nexport async function run(): Promise<void> {\n${body.join("\n")}\n}\n`;
}

describe("JSDoc @example blocks", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test("there are examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(50);
  });

  for (const [i, ex] of examples.entries()) {
    test(`${ex.file}:${ex.line}`, async () => {
      const mod = (await import(/* @vite-ignore */ ex.subpath)) as Record<string, unknown>;
      const names = Object.keys(mod).filter((n) => n !== "default");
      // An internal function's example may use what its own file exports.
      const own = join(SRC, ex.file);
      const ownNames = Object.keys((await import(/* @vite-ignore */ own)) as Record<string, unknown>).filter(
        (n) => n !== "default" && !names.includes(n),
      );
      mkdirSync(scratch, { recursive: true });
      const file = join(scratch, `example-${i}.ts`);
      const ownImport = ownNames.length ? `import { ${ownNames.join(", ")} } from ${JSON.stringify(own)};\n` : "";
      writeFileSync(file, ownImport + toModule(ex, names));
      const run = (await import(/* @vite-ignore */ file)) as { run: () => Promise<void> };
      await run.run();
    });
  }
});

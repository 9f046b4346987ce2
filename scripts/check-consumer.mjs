#!/usr/bin/env node
// Packs the package, installs the tarball into a scratch consumer project,
// and checks that `import` and `require` of every subpath work and that
// TypeScript (node16 resolution, both module kinds) finds the types.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { distProblems } from "./check-dist-deps.mjs";

const root = resolve(new URL("..", import.meta.url).pathname);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const subpaths = Object.keys(pkg.exports).filter((k) => k !== "./package.json");
const specifiers = subpaths.map((s) => (s === "." ? "httpwire" : `httpwire/${s.slice(2)}`));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const dir = mkdtempSync(join(tmpdir(), "httpwire-consumer-"));
try {
  const out = execFileSync(npm, ["pack", "--silent", "--pack-destination", dir], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const tarball = join(dir, out.trim().split("\n").pop());
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "0.0.0", private: true }));
  execFileSync(npm, ["install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts", tarball, "fast-check"], {
    cwd: dir,
    stdio: "inherit",
  });

  const esm =
    specifiers.map((s, i) => `import * as m${i} from "${s}";`).join("\n") +
    `\nconst mods = [${specifiers.map((_, i) => `m${i}`).join(", ")}];\nconsole.log("esm ok:", mods.length);\n`;
  writeFileSync(join(dir, "esm.mjs"), esm);
  const cjs = `const mods = [${specifiers.map((s) => `require("${s}")`).join(", ")}];\nconsole.log("cjs ok:", mods.length);\n`;
  writeFileSync(join(dir, "cjs.cjs"), cjs);
  execFileSync(process.execPath, ["esm.mjs"], { cwd: dir, stdio: "inherit" });
  execFileSync(process.execPath, ["cjs.cjs"], { cwd: dir, stdio: "inherit" });
  // The noble packages are ESM-only: require("httpwire/capture") and
  // require("httpwire/upgrade") must work without require(esm) too (Node
  // before 20.19 has none), so the CommonJS build bundles them.
  execFileSync(process.execPath, ["--no-experimental-require-module", "cjs.cjs"], { cwd: dir, stdio: "inherit" });
  writeFileSync(
    join(dir, "decrypt.cjs"),
    `const { parseKeyLog } = require("httpwire/capture");\nconst { computeWebSocketAccept } = require("httpwire/upgrade");\nif (computeWebSocketAccept("dGhlIHNhbXBsZSBub25jZQ==") !== "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") process.exit(1);\nif (parseKeyLog("CLIENT_RANDOM " + "00".repeat(32) + " " + "11".repeat(48)).entries.length !== 1) process.exit(1);\nconsole.log("cjs capture/upgrade ok");\n`,
  );
  execFileSync(process.execPath, ["--no-experimental-require-module", "decrypt.cjs"], { cwd: dir, stdio: "inherit" });
  const problems = distProblems(join(dir, "node_modules", "httpwire", "dist"));
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log("codec subpaths free of @noble");

  // The error base class is one class across subpaths (shared chunk), in ESM.
  writeFileSync(
    join(dir, "identity.mjs"),
    `import { HttpwireError } from "httpwire";\nimport { QuicError } from "httpwire/quic";\nif (!(new QuicError("x", 7, { reason: "r" }) instanceof HttpwireError)) { console.error("error class identity broken"); process.exit(1); }\nconsole.log("error identity ok");\n`,
  );
  execFileSync(process.execPath, ["identity.mjs"], { cwd: dir, stdio: "inherit" });

  // Types: a TS consumer with node16 resolution, as ESM and as CJS.
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const body = `${specifiers.map((s, i) => `import * as t${i} from "${s}";\nvoid t${i};`).join("\n")}\n`;
  writeFileSync(join(dir, "types.mts"), body);
  writeFileSync(join(dir, "types.cts"), body);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        noEmit: true,
        strict: true,
        module: "node16",
        moduleResolution: "node16",
        target: "es2022",
        lib: ["es2022"],
        types: [],
        skipLibCheck: false,
      },
      files: ["types.mts", "types.cts"],
    }),
  );
  execFileSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, stdio: "inherit" });
  console.log(`consumer ok: ${specifiers.join(", ")}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

import { defineConfig, type Options } from "tsup";

// One entry per public subpath (package.json "exports"), plus the CLI.
const entry = {
  index: "src/index.ts",
  "quic/index": "src/quic/index.ts",
  "hpack/index": "src/hpack/index.ts",
  "http2/index": "src/http2/index.ts",
  "qpack/index": "src/qpack/index.ts",
  "http3/index": "src/http3/index.ts",
  "capture/index": "src/capture/index.ts",
  "alt-svc/index": "src/alt-svc/index.ts",
  "upgrade/index": "src/upgrade/index.ts",
  "arbitraries/index": "src/arbitraries/index.ts",
};

const library: Options = {
  entry,
  dts: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  sourcemap: false,
  treeshake: true,
};

export default defineConfig([
  // ESM: @noble/ciphers and @noble/hashes stay dependencies, imported as they are.
  { ...library, format: ["esm"], clean: true },
  // CommonJS: the noble packages are ESM-only, and require() of ESM needs
  // Node >= 20.19, so the parts of them httpwire/capture and httpwire/upgrade
  // use are bundled into the .cjs chunks (the codec subpaths never reach
  // them; test/dependencies.test.ts checks both).
  { ...library, format: ["cjs"], clean: false, noExternal: [/^@noble\//] },
  // The CLI in a folder of its own: tsup runs these three builds at once, and
  // with one outDir the CLI's shared chunks (named by content hash) could have
  // the name of a library chunk and be written over it while it was being
  // written (a truncated dist/chunk-*.js, seen twice in CI's package check).
  {
    entry: { main: "src/cli/main.ts" },
    outDir: "dist/cli",
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: false,
    clean: false,
  },
]);

import { defineConfig } from "tsup";

// One entry per public subpath (package.json "exports"), plus the CLI.
export default defineConfig([
  {
    entry: {
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
    },
    format: ["esm", "cjs"],
    dts: true,
    target: "es2022",
    platform: "neutral",
    splitting: true,
    sourcemap: false,
    clean: true,
    treeshake: true,
  },
  {
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    dts: false,
    clean: false,
  },
]);

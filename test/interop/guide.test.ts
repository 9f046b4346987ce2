/**
 * docs/http2.md's guide "A client and a server over node:net and node:tls" lists the two example programs in full;
 * each listing must be the file, byte for byte, so that the guide stays true when the examples change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT } from "../../scripts/peers.js";

const doc = readFileSync(join(ROOT, "docs", "http2.md"), "utf8");

describe("docs/http2.md lists the examples as they are", () => {
  for (const file of ["examples/h2-server.ts", "examples/h2-client.ts"]) {
    test(file, () => {
      const m = new RegExp(`<!-- ${file}:BEGIN -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\`\\n<!-- ${file}:END -->`).exec(doc);
      expect(m, `the listing of ${file} is missing`).not.toBeNull();
      expect(m![1]).toBe(readFileSync(join(ROOT, file), "utf8"));
    });
  }
});

/**
 * Reads h2spec's JUnit report (h2spec 2.6.0 reporter/junit_report.go): `<testsuite>` elements holding
 * `<testcase package classname time>`, each with an optional `<failure>`, `<error>` or `<skipped>` child.
 * Used by scripts/h2spec.mjs; tested in test/interop/h2spec-report.test.ts.
 */

/** One h2spec case: its section (`package`, e.g. "http2/5.1.1"), its title, and how it ended. */
export interface H2specCase {
  readonly id: string;
  readonly name: string;
  readonly status: "passed" | "failed" | "skipped";
  /** The text of the failure, error or skipped element ("" when the case passed). */
  readonly message: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] !== "#") return ENTITIES[e]!;
    return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/** Every test case of the report, in order. A case with no failure, error or skipped child passed. */
export function parseH2specJUnit(xml: string): H2specCase[] {
  const cases: H2specCase[] = [];
  const re = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const attrs = new Map<string, string>();
    for (const a of (m[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)) attrs.set(a[1]!, unescapeXml(a[2]!));
    const child = /<(failure|error|skipped)\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1>)/.exec(m[3] ?? "");
    cases.push({
      id: attrs.get("package") ?? "?",
      name: attrs.get("classname") ?? "?",
      status: child === null ? "passed" : child[1] === "skipped" ? "skipped" : "failed",
      message: unescapeXml(child?.[2] ?? "").trim(),
    });
  }
  return cases;
}

/** Helpers of the QUIC capture tests that read files (node:fs). */
import { readFileSync } from "node:fs";
import { CaptureDecoder, type CaptureEvent, KeyLog } from "httpwire/capture";
import { expect } from "vitest";

/** What scripts/record-quic-captures.ts writes beside a capture. */
export interface Meta {
  requests: { path: string; size: number }[];
  expectFailure: boolean;
}

export function decodeFile(pcap: string, keys: string | undefined, chunk = 4096): CaptureEvent[] {
  const bytes = new Uint8Array(readFileSync(pcap));
  const d = new CaptureDecoder(keys === undefined ? {} : { keyLog: new KeyLog(readFileSync(keys, "utf8")) });
  const out: CaptureEvent[] = [];
  for (let p = 0; p < bytes.length; p += chunk) out.push(...d.push(bytes.subarray(p, p + chunk)));
  out.push(...d.end());
  return out;
}

/** Requests and responses: HEADERS fields per stream and direction, and DATA bytes per response. */
export function exchanges(events: CaptureEvent[]) {
  const req = new Map<number, Record<string, string>>();
  const res = new Map<number, Record<string, string>>();
  const body = new Map<number, number>();
  for (const e of events) {
    if ((e.type === "h3-frame" && e.fields) || e.type === "h3-fields") {
      const fields = Object.fromEntries(e.fields!.map((f) => [f.name, f.value]));
      (e.direction === "client-to-server" ? req : res).set(e.streamId, {
        ...(e.direction === "client-to-server" ? req : res).get(e.streamId),
        ...fields,
      });
    }
    if (e.type === "h3-frame" && e.frameType === 0 && e.direction === "server-to-client")
      body.set(e.streamId, (body.get(e.streamId) ?? 0) + e.length);
  }
  return { req, res, body };
}

/** Checks every request of `meta` has its response: the path asked, :status 200, content-length and DATA the file size. */
export function checkExchanges(events: CaptureEvent[], meta: Meta): void {
  const { req, res, body } = exchanges(events);
  const paths = [...req.values()].map((r) => r[":path"]);
  expect(paths).toEqual(meta.requests.map((r) => r.path));
  for (const [id, r] of req) {
    const size = meta.requests.find((m) => m.path === r[":path"])!.size;
    expect(r[":method"]).toBe("GET");
    expect(res.get(id)?.[":status"]).toBe("200");
    expect(res.get(id)?.["content-length"]).toBe(String(size));
    expect(body.get(id) ?? 0).toBe(size);
  }
}

import { PENDING_SEGMENT_OVERHEAD, TcpFlag, type TcpSink, TcpTracker } from "httpwire/capture";
import { describe, expect, test } from "vitest";
import { pendingOrderSteps } from "../../src/capture/tcp.js";
import { countWork } from "../helpers/work.js";
import { ascii } from "./builders.js";

const { SYN, ACK, FIN, RST } = TcpFlag;

function tracker(opts = {}) {
  const log: string[] = [];
  const text: Record<string, string> = { "client-to-server": "", "server-to-client": "" };
  const sink: TcpSink = {
    open: (c) => log.push(`open ${c.id} ${c.client.port}->${c.server.port}`),
    data: (_c, d, b) => {
      text[d] += String.fromCharCode(...b);
    },
    gap: (_c, d, n) => {
      log.push(`gap ${d} ${n}`);
      text[d] += `[${n}]`;
    },
    close: (_c, d, how) => log.push(`close ${d} ${how}`),
  };
  const t = new TcpTracker(sink, opts);
  const seg = (from: "c" | "s", seq: number, flags: number, payload = "", payloadLength?: number) =>
    t.segment(
      {
        src: from === "c" ? "10.0.0.1" : "10.0.0.2",
        dst: from === "c" ? "10.0.0.2" : "10.0.0.1",
        srcPort: from === "c" ? 50000 : 443,
        dstPort: from === "c" ? 443 : 50000,
        seq: seq >>> 0,
        flags,
        payload: ascii(payload),
        payloadLength: payloadLength ?? payload.length,
      },
      0,
    );
  return { t, log, text, seg };
}

describe("TcpTracker", () => {
  test("in order, with SYN and FIN, both directions", () => {
    const { t, log, text, seg } = tracker();
    seg("c", 100, SYN);
    seg("s", 500, SYN | ACK);
    seg("c", 101, ACK, "hello ");
    seg("c", 107, ACK, "world");
    seg("s", 501, ACK, "hi");
    seg("c", 112, FIN | ACK);
    seg("s", 503, FIN | ACK);
    t.end(0);
    expect(text).toEqual({ "client-to-server": "hello world", "server-to-client": "hi" });
    expect(log).toEqual(["open 1 50000->443", "close client-to-server fin", "close server-to-client fin"]);
  });

  test("out of order, retransmitted and overlapping segments give the bytes once, in order", () => {
    const { t, text, log, seg } = tracker();
    seg("c", 0, SYN);
    seg("c", 7, ACK, "ghij"); // early
    seg("c", 4, ACK, "def"); // early, fills in front of it
    seg("c", 1, ACK, "abc"); // the hole
    seg("c", 1, ACK, "abc"); // retransmission
    seg("c", 5, ACK, "efghijkl"); // overlap
    t.end(0);
    expect(text["client-to-server"]).toBe("abcdefghijkl");
    expect(log.filter((l) => l.startsWith("gap"))).toEqual([]);
  });

  test("sequence numbers wrap around 2^32", () => {
    const { t, text, seg } = tracker();
    seg("c", 0xfffffffd, SYN);
    seg("c", 0xfffffffe, ACK, "ab");
    seg("c", 0, ACK, "cd");
    t.end(0);
    expect(text["client-to-server"]).toBe("abcd");
  });

  test("a missing segment becomes a gap at the end of the capture", () => {
    const { t, text, seg } = tracker();
    seg("c", 0, SYN);
    seg("c", 1, ACK, "abc");
    seg("c", 10, ACK, "xyz"); // 6 bytes (4..9) never captured
    t.end(0);
    expect(text["client-to-server"]).toBe("abc[6]xyz");
  });

  test("a missing segment becomes a gap once maxPendingBytes is exceeded", () => {
    // Each held segment counts its bytes plus PENDING_SEGMENT_OVERHEAD: the second one goes over by 1.
    const { text, seg } = tracker({ maxPendingBytes: 2 * PENDING_SEGMENT_OVERHEAD + 4 });
    seg("c", 0, SYN);
    seg("c", 5, ACK, "ef");
    expect(text["client-to-server"]).toBe("");
    seg("c", 7, ACK, "ghi");
    expect(text["client-to-server"]).toBe("[4]efghi");
  });

  test("a segment cut by the snapshot length: the missing tail is a gap", () => {
    const { t, text, seg } = tracker();
    seg("c", 0, SYN);
    seg("c", 1, ACK, "abc", 8);
    seg("c", 9, ACK, "z");
    t.end(0);
    expect(text["client-to-server"]).toBe("abc[5]z");
  });

  test("a capture that starts mid-connection: the first segment sets the sequence", () => {
    const { t, text, log, seg } = tracker({ serverPorts: [443] });
    seg("s", 9000, ACK, "late");
    seg("c", 1234, ACK, "first");
    t.end(0);
    expect(text).toEqual({ "client-to-server": "first", "server-to-client": "late" });
    expect(log[0]).toBe("open 1 50000->443"); // the server port decides who is the client
  });

  test("RST closes both directions", () => {
    const { text, log, seg } = tracker();
    seg("c", 0, SYN);
    seg("c", 1, ACK, "ab");
    seg("s", 77, RST);
    seg("c", 3, ACK); // a stray ACK of the forgotten connection opens nothing
    seg("c", 3, FIN | ACK);
    expect(text["client-to-server"]).toBe("ab");
    expect(log.slice(1)).toEqual(["close client-to-server rst", "close server-to-client rst"]);
  });

  test("a new SYN after both FINs is a new connection on the same ports", () => {
    const { t, log, seg } = tracker();
    seg("c", 0, SYN);
    seg("c", 1, FIN | ACK);
    seg("s", 0, FIN | ACK);
    seg("c", 5000, SYN);
    t.end(0);
    expect(log.filter((l) => l.startsWith("open"))).toEqual(["open 1 50000->443", "open 2 50000->443"]);
  });

  test("issue 12 finding 4: segments holding no captured bytes count against maxPendingBytes", () => {
    const gaps: number[] = [];
    const sink: TcpSink = { open: () => {}, data: () => {}, gap: (_c, _d, n) => void gaps.push(n), close: () => {} };
    const t = new TcpTracker(sink);
    const at = (seq: number, payloadLength: number) =>
      t.segment(
        {
          src: "10.0.0.1",
          dst: "10.0.0.2",
          srcPort: 50000,
          dstPort: 443,
          seq,
          flags: ACK,
          payload: new Uint8Array(0),
          payloadLength,
        },
        0,
      );
    at(0, 1);
    // 40,000 early segments whose capture holds no payload (each claims 10 bytes): before the fix
    // they counted 0 against the 1 MiB limit and were all held (about 10 MiB), in quadratic time.
    for (let i = 40_000; i > 0; i--) at(1000 + 20 * i, 10);
    // The limit was reached long before the end of the capture: holes became gaps on the way.
    expect(gaps.length).toBeGreaterThan(0);
    const held = Math.floor((1024 * 1024) / PENDING_SEGMENT_OVERHEAD);
    // Nothing delivered yet is still held beyond the limit: what is left for end() fits it.
    const before = gaps.length;
    t.end(0);
    expect(gaps.length - before).toBeLessThanOrEqual(2 * held);
  });

  test("issue 12 finding 4: segments arriving in descending order cost about what ascending ones cost", () => {
    const run = (n: number, descending: boolean) => {
      const sink: TcpSink = { open: () => {}, data: () => {}, gap: () => {}, close: () => {} };
      const t = new TcpTracker(sink, { maxPendingBytes: 2 ** 40 });
      const one = new Uint8Array([0x61]);
      const at = (seq: number) =>
        t.segment(
          {
            src: "10.0.0.1",
            dst: "10.0.0.2",
            srcPort: 50000,
            dstPort: 443,
            seq,
            flags: ACK,
            payload: one,
            payloadLength: 1,
          },
          0,
        );
      return () => {
        at(0);
        for (let i = 1; i <= n; i++) at(1 + (descending ? n + 1 - i : i));
        at(1);
        t.end(0);
      };
    };
    // Work: what the built-ins copy, view, move and search (test/helpers/work.ts), plus the steps
    // the tracker takes ordering early segments (its internal counter). A sorted list with a
    // linear scan and splice made the descending order quadratic: each early segment moved
    // every held one. The heap takes O(log n) steps per segment whatever the order.
    const work = (f: () => void) => {
      const steps = pendingOrderSteps.count;
      const counted = countWork(f);
      const ordering = pendingOrderSteps.count - steps;
      // Every segment but the first is held early, then taken: the counter is alive.
      expect(ordering).toBeGreaterThan(0);
      return counted + ordering;
    };
    const n = 8000;
    const ascending = work(run(n, false));
    const descending = work(run(n, true));
    expect(descending / ascending).toBeLessThan(3);
    // And descending segments cost about the same per segment at n and 8n (a log factor:
    // log2(64,000) / log2(8,000) is 1.23; quadratic: 8).
    expect(work(run(8 * n, true)) / (8 * descending)).toBeLessThan(1.5);
  });
});

/**
 * Which crypto for decrypting captures: @noble (synchronous, pure
 * TypeScript) against WebCrypto (`crypto.subtle`, asynchronous, native), on
 * the operations a TLS capture costs: AES-128-GCM and AES-256-GCM open of a
 * full 16 KiB record, ChaCha20-Poly1305 open (noble only: WebCrypto has
 * none), and HKDF-Expand-Label-sized HKDF derivations. node:crypto is shown
 * as the native ceiling (the library cannot use it: it is Node-only).
 *
 * Run: npx tsx bench/tls-crypto.ts [--quick]. Interleaved rounds, median of
 * CPU-time per op (this machine is shared), so ratios stay honest.
 */
import { createDecipheriv, hkdfSync } from "node:crypto";
import { aeadOpen, aeadSeal, hkdfExpandLabel, hkdfExtract } from "../src/capture/crypto.js";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 3 : 9;
const ROUND_MS = quick ? 100 : 400;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Case = { name: string; run: () => unknown };

async function measure(cases: Case[]): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) for (let i = 0; i < 50; i++) await c.run(); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of cases) {
      let ops = 0;
      const t0 = cpuMs();
      let t = t0;
      while (t - t0 < ROUND_MS) {
        for (let i = 0; i < 20; i++) await c.run();
        ops += 20;
        t = cpuMs();
      }
      samples.get(c.name)!.push(((t - t0) * 1000) / ops);
    }
  }
  const out = new Map<string, number>();
  for (const [name, s] of samples) out.set(name, s.sort((a, b) => a - b)[s.length >> 1]!);
  return out;
}

const record = new Uint8Array(16_384).map((_, i) => i & 0xff);
const nonce = new Uint8Array(12).fill(7);
const aad = new Uint8Array([0x17, 0x03, 0x03, 0x40, 0x11]);
const subtle = globalThis.crypto.subtle;

async function aesCases(bits: 128 | 256): Promise<Case[]> {
  const key = new Uint8Array(bits / 8).fill(3);
  const aead = bits === 128 ? "aes-128-gcm" : "aes-256-gcm";
  const sealed = new Uint8Array(aeadSeal(aead, key, nonce, aad, record));
  const cryptoKey = await subtle.importKey("raw", key, "AES-GCM", false, ["decrypt"]);
  return [
    { name: `noble ${aead} open 16 KiB`, run: () => aeadOpen(aead, key, nonce, aad, sealed) },
    {
      name: `WebCrypto ${aead} open 16 KiB`,
      run: () => subtle.decrypt({ name: "AES-GCM", iv: nonce, additionalData: aad }, cryptoKey, sealed),
    },
    {
      name: `node:crypto ${aead} open 16 KiB`,
      run: () => {
        const d = createDecipheriv(`aes-${bits}-gcm`, key, nonce);
        d.setAAD(aad);
        d.setAuthTag(sealed.subarray(sealed.length - 16));
        d.update(sealed.subarray(0, sealed.length - 16));
        return d.final();
      },
    },
  ];
}

async function main() {
  const results: [string, number][] = [];
  for (const bits of [128, 256] as const) for (const [n, v] of await measure(await aesCases(bits))) results.push([n, v]);
  const chachaKey = new Uint8Array(32).fill(5);
  const chachaSealed = aeadSeal("chacha20-poly1305", chachaKey, nonce, aad, record);
  for (const [n, v] of await measure([
    { name: "noble chacha20-poly1305 open 16 KiB", run: () => aeadOpen("chacha20-poly1305", chachaKey, nonce, aad, chachaSealed) },
  ]))
    results.push([n, v]);

  // The key schedule's cost per connection: a TLS 1.3 "key" + "iv" derivation from a secret.
  const secret = new Uint8Array(hkdfExtract("sha256", new Uint8Array(32), new Uint8Array(32).fill(9)));
  const hkdfKey = await subtle.importKey("raw", secret, "HKDF", false, ["deriveBits"]);
  const info = new Uint8Array([0, 16, 9, ...new TextEncoder().encode("tls13 key"), 0]);
  for (const [n, v] of await measure([
    { name: "noble HKDF-Expand-Label (16 bytes)", run: () => hkdfExpandLabel("sha256", secret, "key", new Uint8Array(0), 16) },
    // WebCrypto's HKDF always extracts first; with an empty salt it is one more HMAC, about what Expand-Label costs alone.
    {
      name: "WebCrypto HKDF deriveBits (16 bytes)",
      run: () => subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info }, hkdfKey, 128),
    },
    { name: "node:crypto hkdfSync (16 bytes)", run: () => hkdfSync("sha256", secret, new Uint8Array(0), info, 16) },
  ]))
    results.push([n, v]);

  console.log(`node ${process.version}, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms CPU time, median µs per op`);
  for (const [name, us] of results) {
    const mbps = name.includes("16 KiB") ? `  ${(16_384 / us).toFixed(0).padStart(5)} MB/s` : "";
    console.log(`${name.padEnd(42)} ${us.toFixed(2).padStart(9)} µs${mbps}`);
  }
}

await main();

/**
 * A small seeded PRNG (sfc32) for the fuzz campaign: reproducible from one
 * 32-bit seed, fast, no allocation per draw.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in `0..n-1` (`n` ≥ 1). */
  int(n: number): number {
    return n <= 1 ? 0 : this.u32() % n;
  }

  /** `true` with probability `p`. */
  chance(p: number): boolean {
    return this.u32() < p * 4294967296;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A length biased to small values: mostly under 64, sometimes up to `max`. */
  length(max: number): number {
    const r = this.int(100);
    if (r < 70) return this.int(Math.min(64, max) + 1);
    if (r < 95) return this.int(Math.min(512, max) + 1);
    return this.int(max + 1);
  }
}

/**
 * The HPACK and QPACK encoders' index of a dynamic table by (name, value): one
 * chained hash table over absolute entry ids, in arrays of small integers
 * (`arrays.ts`), with no allocation per insertion and no work per eviction.
 * Internal (src/shared).
 *
 * Each bucket holds the newest id that hashed there; each id links to the
 * next older id of its bucket. Entries leave the table oldest first, so a
 * chain is in descending id order and a walk stops at the first id below the
 * oldest live one: evicted entries never need unlinking. Slots are
 * `id & mask`, unique among live ids while the live count fits the capacity,
 * which {@link PairIndex.add} keeps by doubling.
 *
 * @module
 */
import { intArray } from "./arrays.js";

/**
 * Hash of a value for {@link PairIndex}, mixed with the name's `key`: all
 * characters of a short value, at most 16 evenly spaced ones (and the last)
 * of a longer one, so a field costs O(1) to hash. Values that differ only
 * between the samples share a bucket and are told apart by comparison.
 */
export function pairHash(key: number, value: string): number {
  const n = value.length;
  let h = Math.imul(key ^ n, 0x9e3779b1);
  const step = (n >>> 3) + 1;
  for (let i = 0; i < n; i += step) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  if (n > 0) h = Math.imul(h ^ value.charCodeAt(n - 1), 0x01000193);
  // Non-negative (31 bits), so callers can use -1 for "not computed".
  return (h ^ (h >>> 15)) & 0x7fffffff;
}

/**
 * Index of a dynamic table's entries by (key, value), `K` being the name's
 * record (compared by identity). See the module note.
 *
 * @example
 * ```ts
 * const index = new PairIndex<number>();
 * index.add(0, 1, "gzip", pairHash(1, "gzip"), 0);
 * index.find(1, "gzip", pairHash(1, "gzip"), 0); // => 0
 * // id 0 evicted (the oldest live id is 1):
 * index.find(1, "gzip", pairHash(1, "gzip"), 1); // => -1
 * ```
 */
export class PairIndex<K> {
  /** Bucket -> newest id hashed there, or -1. */
  private heads: number[];
  /** Slot of an id -> next older id in its bucket (or -1). */
  private next: number[];
  private hashes: number[];
  private keys: (K | undefined)[];
  private values: (string | undefined)[];
  private mask: number;
  private bucketMask: number;
  private readonly bucketsPerSlot: number;

  /**
   * @param capacity initial number of live entries (rounded up to a power of two)
   * @param bucketsPerSlot buckets per entry slot, a power of two (tests use a
   *   fraction of one, e.g. 1/16, to force collisions)
   */
  constructor(capacity = 16, bucketsPerSlot = 2) {
    let cap = 1;
    while (cap < capacity) cap *= 2;
    this.bucketsPerSlot = bucketsPerSlot;
    this.mask = cap - 1;
    this.bucketMask = Math.max(1, cap * bucketsPerSlot) - 1;
    this.heads = intArray(this.bucketMask + 1, -1);
    this.next = intArray(cap);
    this.hashes = intArray(cap);
    this.keys = new Array<K | undefined>(cap).fill(undefined);
    this.values = new Array<string | undefined>(cap).fill(undefined);
  }

  /**
   * The newest live id (at least `oldest`) with this key and value, or -1.
   * `hash` is {@link pairHash} of the pair.
   */
  find(key: K, value: string, hash: number, oldest: number): number {
    const mask = this.mask;
    let id = this.heads[hash & this.bucketMask]!;
    while (id >= oldest) {
      const s = id & mask;
      if (this.keys[s] === key && this.values[s] === value) return id;
      id = this.next[s]!;
    }
    return -1;
  }

  /**
   * Records entry `id` (the newest: ids are added in increasing order, one
   * after another); `oldest` is the oldest live id after the insertion.
   */
  add(id: number, key: K, value: string, hash: number, oldest: number): void {
    if (id - oldest > this.mask) this.grow(oldest, id);
    const s = id & this.mask;
    const b = hash & this.bucketMask;
    this.next[s] = this.heads[b]!;
    this.heads[b] = id;
    this.hashes[s] = hash;
    this.keys[s] = key;
    this.values[s] = value;
  }

  /** Doubles the capacity and relinks the live ids `oldest .. end - 1`, oldest first. */
  private grow(oldest: number, end: number): void {
    const old = { mask: this.mask, hashes: this.hashes, keys: this.keys, values: this.values };
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.bucketMask = Math.max(1, cap * this.bucketsPerSlot) - 1;
    this.heads = intArray(this.bucketMask + 1, -1);
    this.next = intArray(cap);
    this.hashes = intArray(cap);
    this.keys = new Array<K | undefined>(cap).fill(undefined);
    this.values = new Array<string | undefined>(cap).fill(undefined);
    for (let id = oldest; id < end; id++) {
      const s = id & old.mask;
      this.add(id, old.keys[s]!, old.values[s]!, old.hashes[s]!, oldest);
    }
  }
}

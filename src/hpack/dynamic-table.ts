/**
 * The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of entries, newest
 * first for indexing, kept in a ring buffer (no array shifts on eviction).
 *
 * @module
 */

import { intArray } from "../shared/arrays.js";
import { entrySize } from "../shared/table-entry.js";

/** One dynamic table entry as reported by `dynamicTable()`. */
export interface DynamicTableEntry<T extends string | Uint8Array = string> {
  /** Field name (Latin-1 string, or bytes for a decoder with `bytes: true`). */
  readonly name: T;
  /** Field value. */
  readonly value: T;
  /** Entry size per RFC 7541 §4.1: octets of name + value + 32. */
  readonly size: number;
}

/** A snapshot of a dynamic table. */
export interface DynamicTableSnapshot<T extends string | Uint8Array = string> {
  /** Entries, newest first: `entries[0]` has HPACK index 62. */
  readonly entries: DynamicTableEntry<T>[];
  /** Sum of the entry sizes. */
  readonly size: number;
  /** Current maximum size (the last size update, or the initial size). */
  readonly maxSize: number;
}

/** Slots of the first ring; then it doubles. */
const FIRST_RING = 16;

/**
 * A dynamic table over names and values of type `T` (Latin-1 strings or
 * bytes; both have `length` in octets, so §4.1 accounting is exact).
 * Internal to the package.
 */
export class DynamicTable<T extends string | Uint8Array> {
  private names: (T | undefined)[];
  private values: (T | undefined)[];
  private mask: number;
  /** Slot of the next insertion. */
  private head = 0;
  /** Number of entries. */
  count = 0;
  /** Sum of entry sizes (RFC 7541 §4.1). */
  size = 0;
  /** Current maximum size. */
  maxSize: number;
  /** Total insertions ever; the newest entry has absolute id `inserted - 1`. */
  inserted = 0;
  /**
   * Called for each evicted entry, oldest first (used by the encoder's index
   * maps), with the `tag` given to {@link add} (undefined unless the table
   * was created with `tagged`).
   */
  onEvict: ((name: T, value: T, absoluteId: number, tag: unknown) => void) | undefined = undefined;
  /** Per-entry caller data, parallel to names/values; only with `tagged`. */
  private tags: unknown[] | undefined;
  /** Entry sizes by slot: accounting reads no string (the strings of old entries are cold in memory). */
  private sizes: number[];

  /** @param tagged keep a caller value per entry (see {@link add}, {@link onEvict}) */
  constructor(maxSize: number, tagged = false) {
    this.maxSize = maxSize;
    // The ring starts small and doubles as entries come (grow()): a table
    // of 4096 octets could hold 128 entries, but connections rarely fill
    // it with small ones, and every slot costs memory per connection.
    const cap = FIRST_RING;
    this.names = new Array<T | undefined>(cap).fill(undefined);
    this.values = new Array<T | undefined>(cap).fill(undefined);
    this.tags = tagged ? new Array<unknown>(cap).fill(undefined) : undefined;
    this.sizes = intArray(cap);
    this.mask = cap - 1;
  }

  /** Name of the entry with dynamic index `i` (1 = newest); `i` must be in 1..count. */
  name(i: number): T {
    return this.names[(this.head - i) & this.mask]!;
  }

  /** Value of the entry with dynamic index `i` (1 = newest). */
  value(i: number): T {
    return this.values[(this.head - i) & this.mask]!;
  }

  /** Size (RFC 7541 §4.1) of the entry with dynamic index `i` (1 = newest). */
  sizeOf(i: number): number {
    return this.sizes[(this.head - i) & this.mask]!;
  }

  /**
   * Adds an entry, evicting from the oldest end first. RFC 7541 §4.4: an
   * entry larger than the maximum size empties the table and is not added
   * (not an error). The caller already holds `name`, so a name that refers
   * to an entry evicted here stays valid.
   */
  add(name: T, value: T, tag?: unknown): void {
    const size = entrySize(name.length, value.length);
    if (size > this.maxSize) {
      this.evictTo(0);
      return;
    }
    this.evictTo(this.maxSize - size);
    if (this.count > this.mask) this.grow();
    const slot = this.head;
    this.names[slot] = name;
    this.values[slot] = value;
    this.sizes[slot] = size;
    if (this.tags !== undefined) this.tags[slot] = tag;
    this.head = (slot + 1) & this.mask;
    this.count++;
    this.inserted++;
    this.size += size;
  }

  /** Sets the maximum size (a §6.3 size update), evicting as needed (§4.3). */
  setMaxSize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evictTo(maxSize);
  }

  /** Evicts oldest entries until `size <= target`. */
  private evictTo(target: number): void {
    const mask = this.mask;
    while (this.size > target && this.count > 0) {
      const slot = (this.head - this.count) & mask;
      const name = this.names[slot]!;
      const value = this.values[slot]!;
      this.size -= this.sizes[slot]!;
      this.names[slot] = undefined;
      this.values[slot] = undefined;
      let tag: unknown;
      if (this.tags !== undefined) {
        tag = this.tags[slot];
        this.tags[slot] = undefined;
      }
      this.count--;
      if (this.onEvict !== undefined) this.onEvict(name, value, this.inserted - this.count - 1, tag);
    }
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const names = new Array<T | undefined>(cap).fill(undefined);
    const values = new Array<T | undefined>(cap).fill(undefined);
    const oldTags = this.tags;
    const tags = oldTags === undefined ? undefined : new Array<unknown>(cap).fill(undefined);
    const sizes = intArray(cap);
    // Copy oldest to newest into slots 0..count-1.
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head - this.count + i) & this.mask;
      names[i] = this.names[slot];
      values[i] = this.values[slot];
      sizes[i] = this.sizes[slot]!;
      if (tags !== undefined) tags[i] = oldTags![slot];
    }
    this.names = names;
    this.values = values;
    this.tags = tags;
    this.sizes = sizes;
    this.mask = cap - 1;
    this.head = this.count;
  }

  /** A snapshot, newest first. */
  snapshot(): DynamicTableSnapshot<T> {
    const entries: DynamicTableEntry<T>[] = [];
    for (let i = 1; i <= this.count; i++) {
      const name = this.name(i);
      const value = this.value(i);
      entries.push({ name, value, size: entrySize(name.length, value.length) });
    }
    return { entries, size: this.size, maxSize: this.maxSize };
  }
}

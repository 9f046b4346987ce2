/**
 * Counted work, for the tests that prove linear cost against hostile input
 * without a clock (the project's rule: benchmarks are not tests, so no
 * timing assertion in the test suite; timings live in `npm run bench`).
 *
 * {@link countWork} runs a function with the built-ins that copy, scan or
 * build bytes and strings replaced by counting wrappers, and returns the
 * elements they touched: bytes copied (`set`, `slice`, `copyWithin`), bytes
 * handed out as views (`subarray`: what a parser is given to read again),
 * bytes scanned (`indexOf`), bytes turned into strings (`TextDecoder`,
 * `String.fromCharCode`), characters read, sliced, split, joined or
 * searched, array elements shifted (`splice`, `shift`, `unshift`) or sorted,
 * and the subjects of regular expressions. Re-reading, re-joining or
 * re-decoding held input on every chunk (the quadratic pattern behind the
 * issue 12 findings) shows up as work that grows with the square of the
 * input, whatever the machine's load, so the tests compare counts at N and
 * 8N with tight bounds and need no retry.
 *
 * What it cannot see: plain indexed loops (`buf[i]`) and the inside of the
 * regular-expression engine. A regular expression's backtracking can make
 * it quadratic in its subject, so `regex: "squared"` counts each match
 * attempt as the square of the subject's length: a test that uses it
 * asserts that no regular expression reads the long hostile input at all.
 *
 * Free of Node APIs: the codec suites also run in the browser.
 */

/** How a regular expression's match attempt is counted. */
export type RegexCost = "linear" | "squared";

export interface CountWorkOptions {
  /** `linear` (default): the subject's length per attempt; `squared`: its square (see the module note). */
  readonly regex?: RegexCost;
  /** When given, receives the work per built-in (`"Uint8Array.set"`: 123), to see where it went. */
  readonly detail?: Record<string, number>;
}

type Patch = [target: object, key: PropertyKey, make: (original: (...args: never[]) => unknown) => unknown];

// Lengths are read through the original accessors only: never through a patched method.
const u8 = Uint8Array.prototype;
const str = String.prototype;
const arr = Array.prototype;

/** The original `subarray`, for making input pieces inside a counted function without counting them. */
const originalSubarray = u8.subarray;

/**
 * Feeds `bytes` to `push` one byte at a time. The 1-byte views are made with
 * the original `subarray`, so the caller's own slicing is not counted.
 */
export function oneByteAtATime(bytes: Uint8Array, push: (piece: Uint8Array) => void): void {
  for (let i = 0; i < bytes.length; i++) push(originalSubarray.call(bytes, i, i + 1));
}

/**
 * Runs `f` and returns the work the counted built-ins did (see the module
 * note). Synchronous only; the built-ins are restored when `f` returns or
 * throws (and the exception is passed on).
 */
export function countWork(f: () => void, options: CountWorkOptions = {}): number {
  let work = 0;
  const detail = options.detail;
  const regexCost = options.regex === "squared" ? (n: number) => n * n : (n: number) => n;
  const len = (x: unknown): number => {
    if (x === null || x === undefined) return 0;
    const n = (x as { length?: unknown }).length;
    return typeof n === "number" ? n : 0;
  };
  let key = "";
  const add = (name: string, n: number): void => {
    work += n;
    if (detail !== undefined) detail[name] = (detail[name] ?? 0) + n;
  };
  // Each wrapper adds its cost, then calls the original with the same receiver and arguments.
  const before = (cost: (self: never, args: never[]) => number): Patch[2] => {
    return (original) => {
      const name = key;
      return function (this: never, ...args: never[]) {
        add(name, cost(this, args));
        return Reflect.apply(original, this, args);
      };
    };
  };
  const after = (cost: (result: never, self: never, args: never[]) => number): Patch[2] => {
    return (original) => {
      const name = key;
      return function (this: never, ...args: never[]) {
        const result = Reflect.apply(original, this, args) as never;
        add(name, cost(result, this, args));
        return result;
      };
    };
  };
  const selfLength = before((self) => len(self));
  const resultLength = after((r) => len(r));
  const one = before(() => 1);
  const each = (target: object, keys: readonly string[], make: Patch[2]): Patch[] => keys.map((k): Patch => [target, k, make]);
  const patches: Patch[] = [
    // Bytes copied, handed out as views, scanned or turned into strings.
    [u8, "set", before((_s, [source]) => len(source))],
    ...each(u8, ["slice", "subarray"], resultLength),
    [
      u8,
      "copyWithin",
      before((self, [, start, end]) => {
        const n = len(self);
        return Math.max(0, Math.min(end === undefined ? n : Number(end), n) - Number(start ?? 0));
      }),
    ],
    ...each(u8, ["indexOf", "lastIndexOf", "includes"], selfLength),
    [TextDecoder.prototype, "decode", before((_s, [input]) => len(input))],
    [String, "fromCharCode", before((_s, args) => args.length)],
    // Characters read, built or searched.
    ...each(str, ["charCodeAt", "codePointAt", "charAt", "at"], one),
    ...each(str, ["slice", "substring", "substr", "repeat", "concat", "padStart", "padEnd"], resultLength),
    ...each(
      str,
      [
        "indexOf",
        "lastIndexOf",
        "includes",
        "startsWith",
        "endsWith",
        "split",
        "replace",
        "replaceAll",
        "match",
        "matchAll",
        "search",
        "trim",
        "trimStart",
        "trimEnd",
        "toLowerCase",
        "toUpperCase",
        "normalize",
        "localeCompare",
      ],
      selfLength,
    ),
    // Every regular-expression method (test, replace, split, match, search) calls exec once
    // exec is not the built-in one. An attempt costs the characters from where it starts to
    // the end of its match (to the end of the subject when it fails), or the square of that.
    [
      RegExp.prototype,
      "exec",
      (original) => {
        const name = key;
        return function (this: RegExp, subject: unknown) {
          const text = String(subject);
          const from = this.global || this.sticky ? this.lastIndex : 0;
          const m = Reflect.apply(original, this, [text]) as RegExpExecArray | null;
          const to = m === null ? text.length : m.index + m[0].length;
          add(name, regexCost(Math.max(1, to - from)));
          return m;
        };
      },
    ],
    // Array elements joined, moved, searched or sorted.
    ...each(arr, ["join", "concat", "slice"], resultLength),
    [arr, "splice", before((self, [start]) => Math.max(0, len(self) - Math.max(0, Number(start ?? 0))))],
    ...each(arr, ["shift", "unshift", "indexOf", "includes", "findIndex", "find"], selfLength),
    [
      arr,
      "sort",
      before((self) => {
        const n = len(self);
        return n * Math.max(1, Math.ceil(Math.log2(n + 1)));
      }),
    ],
  ];
  // Uint8Array's methods live on %TypedArray%.prototype: the wrapper shadows them on
  // Uint8Array.prototype, and is deleted again afterwards.
  const saved: Array<[object, PropertyKey, PropertyDescriptor | undefined]> = [];
  try {
    for (const [target, k, make] of patches) {
      let d: PropertyDescriptor | undefined;
      for (let o: object | null = target; o !== null && d === undefined; o = Object.getPrototypeOf(o)) {
        d = Object.getOwnPropertyDescriptor(o, k);
      }
      if (d === undefined || typeof d.value !== "function") continue;
      saved.push([target, k, Object.getOwnPropertyDescriptor(target, k)]);
      key = `${typeof target === "function" ? target.name : (target as { constructor: { name: string } }).constructor.name}.${String(k)}`;
      Object.defineProperty(target, k, { configurable: true, writable: true, enumerable: false, value: make(d.value) });
    }
    f();
  } finally {
    for (let i = saved.length - 1; i >= 0; i--) {
      const [target, k, own] = saved[i]!;
      if (own === undefined) delete (target as Record<PropertyKey, unknown>)[k];
      else Object.defineProperty(target, k, own);
    }
  }
  return work;
}

/**
 * Counted work per input unit at `8n` over that at `n`: about 1 when the
 * cost is linear, about 8 when it is quadratic.
 */
export function workGrowth(run: (size: number) => () => void, n: number, options?: CountWorkOptions): number {
  return countWork(run(8 * n), options) / (8 * n) / (countWork(run(n), options) / n);
}

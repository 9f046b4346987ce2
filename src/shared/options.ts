/**
 * Option validation: the one checker every constructor uses.
 *
 * @module
 */

/**
 * Returns `value`, or `fallback` when it is `undefined`, after checking that
 * it is a safe integer in `[min, max]`. A caller's mistake, so it throws
 * `RangeError` (never a protocol error).
 *
 * @param owner the class or function the option belongs to, for the message
 * @internal
 */
export function integerOption(owner: string, name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${owner}: option ${name} must be an integer in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

/** Like {@link integerOption} for a boolean. @internal */
export function booleanOption(owner: string, name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`${owner}: option ${name} must be a boolean, got ${typeof value}`);
  return value;
}

/** Like {@link integerOption} for any finite number in `[min, max]` (a ratio, a share). @internal */
export function numberOption(owner: string, name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new RangeError(`${owner}: option ${name} must be a number in ${min}..${max}, got ${String(value)}`);
  }
  return value;
}

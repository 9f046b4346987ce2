/** Milliseconds `f` takes, the best of `runs` (the least noisy on a shared machine). */
export function bestTime(f: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

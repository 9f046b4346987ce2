/** What a suite hands back to the runner: printed text, ratios for the baseline, target verdicts. */
export interface Target {
  name: string;
  /** `undefined` when it could not be checked in this run (codec missing). */
  ok: boolean | undefined;
  detail: string;
}

export interface SuiteReport {
  title: string;
  /** Markdown: tables and notes. */
  text: string;
  /** Ratios to httpwire (httpwire / other, higher is better for httpwire), keyed stably for the baseline. */
  ratios: Record<string, number>;
  targets: Target[];
}

/**
 * Command-line parsing for every command: `node:util` `parseArgs`, so every
 * command accepts the same syntax (`--flag value`, `--flag=value`, `-h`,
 * `--` ending the options) and has `--help`.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.js";

/** Option definitions, as `parseArgs` takes them; `help` (`-h`, `--help`) is added to every command. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parseCommandArgs} returns: the option values, the positionals, and whether help was asked. */
export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
  readonly help: boolean;
}

/**
 * Parses a command's arguments. Unknown options and missing values become
 * a {@link UsageError} (exit status 2) with `parseArgs`'s message; `-` is a
 * positional (standard input). With `keepSeparators`, every `--` is kept
 * among the positionals (the first one still ends the options).
 */
export function parseCommandArgs(args: readonly string[], options: OptionSpec, opts: { readonly keepSeparators?: boolean } = {}): ParsedArgs {
  try {
    const { values, tokens } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
    const { help, ...rest } = values as Record<string, string | boolean | (string | boolean)[] | undefined>;
    // With keepSeparators, a "--" stays among the positionals (a command that uses it to separate groups).
    const positionals: string[] = [];
    for (const t of tokens) {
      if (t.kind === "positional") positionals.push(t.value);
      else if (t.kind === "option-terminator" && opts.keepSeparators === true) positionals.push("--");
    }
    return { values: rest, positionals, help: help === true };
  } catch (e) {
    if (e instanceof TypeError && "code" in e) throw new UsageError(e.message.replace(/\. To specify a positional argument.*$/s, ""));
    throw e;
  }
}

/** A string option given at most once (the last one wins, as `parseArgs` does). */
export function stringValue(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A repeatable string option, as a list. */
export function stringValues(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

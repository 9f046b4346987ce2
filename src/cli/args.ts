/**
 * Command-line parsing for every command: `node:util` `parseArgs`, so every
 * command accepts the same syntax (`--flag value`, `--flag=value`, `-h`,
 * `--` ending the options) and has `--help`.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
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
 * `missingValue` gives a command's own message for a flag (`"--name"`) that
 * has no value (at the end, or followed by another option); the default is
 * `--name needs a value`.
 */
export function parseCommandArgs(
  args: readonly string[],
  options: OptionSpec,
  opts: { readonly keepSeparators?: boolean; readonly missingValue?: Readonly<Record<string, string>> } = {},
): ParsedArgs {
  const spec: OptionSpec = { ...options, help: { type: "boolean", short: "h" } };
  try {
    const { values, tokens } = parseArgs({
      args: joinDashValues(args, spec),
      options: spec,
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
    if (!(e instanceof TypeError) || !("code" in e)) throw e;
    // parseArgs names the option as '--name', '-o, --name <value>' or '--name <value>'.
    const name = /'(?:-\w, )?(-[^' ]+)/.exec(e.message)?.[1] ?? "";
    if (e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option "${name}" (see --help)`);
    if (e.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const own = /argument (missing|is ambiguous)/.test(e.message) ? opts.missingValue?.[name] : undefined;
      if (own !== undefined) throw new UsageError(own);
      throw new UsageError(/argument missing/.test(e.message) ? `${name} needs a value` : e.message.replace(/\. To specify.*$/s, ""));
    }
    throw new UsageError(e.message);
  }
}

/**
 * `--flag -1` means `--flag=-1` for a flag that takes a value, when `-1`
 * names no option (`parseArgs` alone calls it ambiguous): values may start
 * with a dash, as they always could here.
 */
function joinDashValues(args: readonly string[], spec: OptionSpec): string[] {
  const takesValue = new Set<string>();
  const known = new Set<string>();
  for (const [name, o] of Object.entries(spec)) {
    known.add(`--${name}`);
    if (o.short !== undefined) known.add(`-${o.short}`);
    if (o.type === "string") {
      takesValue.add(`--${name}`);
      if (o.short !== undefined) takesValue.add(`-${o.short}`);
    }
  }
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (takesValue.has(a) && next?.startsWith("-") && next !== "--" && !known.has(next.split("=")[0]!)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** A string option given at most once (the last one wins, as `parseArgs` does). */
export function stringValue(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A repeatable string option, as a list. */
export function stringValues(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

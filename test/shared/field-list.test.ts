import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isOws, isTchar, isToken, skipOws, skipOwsBack, splitList, trimOws } from "../../src/shared/field-list.js";

describe("field lists (RFC 9110 §5.6.1) and OWS (§5.6.3)", () => {
  test("OWS is SP and HTAB only", () => {
    expect([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0].map(isOws)).toEqual([true, true, false, false, false, false, false]);
    expect(trimOws(" \t a b \t ")).toBe("a b");
    expect(trimOws("\u00a0a\u00a0")).toBe("\u00a0a\u00a0"); // obs-text stays; String.prototype.trim would remove it
    expect(trimOws("   ")).toBe("");
    expect(skipOws("  ab  ", 0)).toBe(2);
    expect(skipOwsBack("  ab  ", 2, 6)).toBe(4);
    expect(skipOws("  ab", 0, 1)).toBe(1);
  });

  test("token and tchar (§5.6.2)", () => {
    const tchars = [...Array(256).keys()]
      .filter(isTchar)
      .map((c) => String.fromCharCode(c))
      .join("");
    expect(tchars).toBe("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~");
    expect(isTchar(0x100 + 0x41)).toBe(false);
    expect(["websocket", "h2c", "HTTP2-Settings", "", "a b", "a,b", "a/b", "é"].map(isToken)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  test("splitList: commas, OWS and empty elements", () => {
    expect(splitList("")).toEqual([]);
    expect(splitList(" , ,\t,")).toEqual([]);
    expect(splitList("a,b")).toEqual(["a", "b"]);
    expect(splitList(" upgrade ,\tHTTP2-Settings\t")).toEqual(["upgrade", "HTTP2-Settings"]);
    expect(splitList("a , , b,")).toEqual(["a", "b"]);
    expect(splitList("a b, c")).toEqual(["a b", "c"]);
  });

  test("splitList: commas inside quoted strings do not split", () => {
    expect(splitList('ext; p="a,b", other')).toEqual(['ext; p="a,b"', "other"]);
    expect(splitList('x="a\\",b", y')).toEqual(['x="a\\",b"', "y"]);
    expect(splitList('x="unterminated, y')).toEqual(['x="unterminated, y']);
  });

  test("splitList agrees with a plain split when there are no quotes", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", " ", "\t", ",", ";", "=") });
    fc.assert(
      fc.property(text, (s) => {
        const model = s
          .split(",")
          .map((e) =>
            e
              .replace(/^[ \t]*/, "")
              .split("")
              .reverse()
              .join("")
              .replace(/^[ \t]*/, "")
              .split("")
              .reverse()
              .join(""),
          )
          .filter((e) => e.length > 0);
        expect(splitList(s)).toEqual(model);
      }),
    );
  });
});

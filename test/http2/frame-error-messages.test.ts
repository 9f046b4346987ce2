import { decodeFrame } from "httpwire/http2";
import { expect, test } from "vitest";
import { caught, hex, okHeader } from "./hex.js";

// The message text of the errors the frame codecs build in one place (src/http2/frames/common.ts and
// src/http2/settings.ts): frame-errors.test.ts pins code, scope, reason and offset; this pins the words.
const cases: [string, string][] = [
  ["00000100000000000061", "Cannot decode DATA frame: stream identifier is 0"],
  ["000000090400000000", "Cannot decode CONTINUATION frame: stream identifier is 0"],
  ["000000060000000001", "Cannot decode PING frame: stream identifier is 1, not 0"],
  ["000000070000000000", "Cannot decode GOAWAY frame: length 0 is below 8"],
  ["000006060000000000000000000000", "Cannot decode PING frame: length 6 is not 8"],
  ["0000050300000000030000000000", "Cannot decode RST_STREAM frame: length 5 is not 4"],
  ["0000020200000000030000", "Cannot decode PRIORITY frame: length 2 is not 5"],
  ["0000050200000000030000000305", "Cannot decode PRIORITY frame: stream 3 depends on itself"],
  ["000000080000000001", "Cannot decode WINDOW_UPDATE frame: length 0 is not 4"],
  ["000000100000000001", "Cannot decode PRIORITY_UPDATE frame: stream identifier is 1, not 0"],
  ["000000100000000000", "Cannot decode PRIORITY_UPDATE frame: length 0 is below 4"],
  ["000000010500000000", "Cannot decode HEADERS frame: stream identifier is 0"],
  ["000006040000000000000200000002", 'Invalid SETTINGS_ENABLE_PUSH value "2"'],
  ["000006040000000000000800000002", 'Invalid SETTINGS_ENABLE_CONNECT_PROTOCOL value "2"'],
  ["000006040000000000000900000005", 'Invalid SETTINGS_NO_RFC7540_PRIORITIES value "5"'],
];

test.each(cases)("%s", (frame, message) => {
  const bytes = hex(frame);
  expect(caught(() => decodeFrame(okHeader(bytes), bytes.subarray(9), 0)).message).toBe(message);
});

/**
 * The reading of h2spec's JUnit report by scripts/h2spec.mjs: every case counted once, with its status and message
 * (the shape is h2spec 2.6.0's reporter/junit_report.go; the error case is one nghttpd really fails).
 */
import { describe, expect, test } from "vitest";
import { parseH2specJUnit } from "../../scripts/h2spec-report.js";

const REPORT = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="1. Starting HTTP/2" package="generic/1" id="1" tests="1" skipped="0" failures="0" errors="0">
    <testcase package="generic/1" classname="Sends a client connection preface" time="0.0003"></testcase>
  </testsuite>
  <testsuite name="5.1.1. Stream identifiers" package="http2/5.1.1" id="5.1.1" tests="2" skipped="0" failures="0" errors="1">
    <testcase package="http2/5.1.1" classname="Sends even-numbered stream identifier" time="0.0004"></testcase>
    <testcase package="http2/5.1.1" classname="Sends stream identifier that is numerically smaller than previous" time="2.0013">
      <error>GOAWAY Frame (Error Code: PROTOCOL_ERROR)
Connection closed
DATA Frame (length:148, flags:0x01, stream_id:5)</error>
    </testcase>
  </testsuite>
  <testsuite name="6.5. SETTINGS" package="http2/6.5" id="6.5" tests="3" skipped="1" failures="1" errors="0">
    <testcase package="http2/6.5" classname="Sends a SETTINGS frame with &quot;ACK&quot; &amp; a payload &lt;6&gt;" time="0.001">
      <failure>Expected &#39;FRAME_SIZE_ERROR&#39;</failure>
    </testcase>
    <testcase package="http2/6.5" classname="Skipped here" time="0"><skipped>not supported</skipped></testcase>
    <testcase package="http2/6.5" classname="Self-closing" time="0"/>
  </testsuite>
</testsuites>
`;

describe("h2spec JUnit report", () => {
  test("every case is counted once with its status, title and message", () => {
    expect(parseH2specJUnit(REPORT)).toEqual([
      { id: "generic/1", name: "Sends a client connection preface", status: "passed", message: "" },
      { id: "http2/5.1.1", name: "Sends even-numbered stream identifier", status: "passed", message: "" },
      {
        id: "http2/5.1.1",
        name: "Sends stream identifier that is numerically smaller than previous",
        status: "failed",
        message: "GOAWAY Frame (Error Code: PROTOCOL_ERROR)\nConnection closed\nDATA Frame (length:148, flags:0x01, stream_id:5)",
      },
      {
        id: "http2/6.5",
        name: 'Sends a SETTINGS frame with "ACK" & a payload <6>',
        status: "failed",
        message: "Expected 'FRAME_SIZE_ERROR'",
      },
      { id: "http2/6.5", name: "Skipped here", status: "skipped", message: "not supported" },
      { id: "http2/6.5", name: "Self-closing", status: "passed", message: "" },
    ]);
  });

  test("an empty or truncated report has no cases (the script counts the missing ones as failed)", () => {
    expect(parseH2specJUnit("")).toEqual([]);
    expect(parseH2specJUnit(REPORT.slice(0, REPORT.indexOf('<testsuite name="5.1.1')))).toHaveLength(1);
  });
});

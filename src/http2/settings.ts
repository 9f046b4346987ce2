/**
 * SETTINGS parameter validation (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1).
 * @module
 */
import { DEFAULT_MAX_FRAME_SIZE, MAX_MAX_FRAME_SIZE, MAX_WINDOW_SIZE, SettingsId, settingsIdName } from "./constants.js";
import { ErrorCode } from "./error-codes.js";
import { connectionError, type Http2Error } from "./errors.js";
import type { Setting } from "./frame.js";

/**
 * Checks one received setting value (RFC 9113 §6.5.2); unknown identifiers
 * are accepted (RFC 9113 §6.5.2: "MUST ignore a setting with an unknown or
 * unsupported identifier").
 *
 * @throws Http2Error connection PROTOCOL_ERROR (`settings_enable_push_invalid`,
 *   `settings_max_frame_size_invalid`, `settings_enable_connect_protocol_invalid`,
 *   `settings_no_rfc7540_priorities_invalid`) or FLOW_CONTROL_ERROR
 *   (`settings_initial_window_size_too_large`); for example
 *   `{ id: SettingsId.SETTINGS_ENABLE_PUSH, value: 2 }` throws PROTOCOL_ERROR
 *   `settings_enable_push_invalid`.
 * @example
 * ```ts
 * validateSetting({ id: SettingsId.SETTINGS_MAX_FRAME_SIZE, value: 16384 }); // => undefined
 * ```
 */
export function validateSetting(setting: Setting, offset?: number): void {
  const { id, value } = setting;
  switch (id) {
    case SettingsId.SETTINGS_ENABLE_PUSH:
    case SettingsId.SETTINGS_ENABLE_CONNECT_PROTOCOL:
    case SettingsId.SETTINGS_NO_RFC7540_PRIORITIES:
      // The three boolean settings: RFC 9113 §6.5.2 (ENABLE_PUSH) and RFC 9218 §2.1 (NO_RFC7540_PRIORITIES): any
      // value other than 0 or 1 MUST be treated as a connection error of type PROTOCOL_ERROR. RFC 8441 §3
      // (ENABLE_CONNECT_PROTOCOL): "The value of the parameter MUST be 0 or 1" and names no code; we treat it alike.
      if (value > 1) throw booleanSettingError(id, value, offset);
      break;
    case SettingsId.SETTINGS_INITIAL_WINDOW_SIZE:
      // RFC 9113 §6.5.2: values above 2^31-1 MUST be treated as a connection error of type FLOW_CONTROL_ERROR
      if (value > MAX_WINDOW_SIZE)
        throw connectionError(
          ErrorCode.FLOW_CONTROL_ERROR,
          "settings_initial_window_size_too_large",
          `Invalid SETTINGS_INITIAL_WINDOW_SIZE value "${value}": above 2^31-1`,
          offset,
        );
      break;
    case SettingsId.SETTINGS_MAX_FRAME_SIZE:
      // RFC 9113 §6.5.2: outside 2^14..2^24-1 MUST be treated as a connection error of type PROTOCOL_ERROR
      if (value < DEFAULT_MAX_FRAME_SIZE || value > MAX_MAX_FRAME_SIZE)
        throw connectionError(
          ErrorCode.PROTOCOL_ERROR,
          "settings_max_frame_size_invalid",
          `Invalid SETTINGS_MAX_FRAME_SIZE value "${value}": outside 16384..16777215`,
          offset,
        );
      break;
    default:
      break;
  }
}

/** `settings_<name>_invalid`, e.g. `settings_enable_push_invalid`, from the setting's RFC name. */
function booleanSettingError(id: number, value: number, offset: number | undefined): Http2Error {
  const name = settingsIdName(id);
  const reason = `settings_${name.slice("SETTINGS_".length).toLowerCase()}_invalid`;
  return connectionError(ErrorCode.PROTOCOL_ERROR, reason, `Invalid ${name} value "${value}"`, offset);
}

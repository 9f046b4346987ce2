import { UsageError, type Command } from "../io.js";

// Placeholder until the quic module lands (issue 2); replaced by the real command.
const varint: Command = async () => {
  throw new UsageError("not available yet");
};
export default varint;

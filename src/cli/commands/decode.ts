import { UsageError, type Command } from "../io.js";

// Placeholder: this command is being written; its module owner replaces this file.
const command: Command = async () => {
  throw new UsageError("not available yet");
};
export default command;

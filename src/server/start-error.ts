/**
 * The server cannot start: unusable data directory, port in use, bad option.
 * The message is one line meant for a person; the CLI prints it and exits 1.
 */
export class ServerStartError extends Error {
  override readonly name = "ServerStartError";
}

import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Requests carry the Smart Core device name of the server they are for. A
 * server with a configured `device` answers its own name and the empty name;
 * any other name is NOT_FOUND, as a real server routing on names answers.
 * Without a configured device the server answers every name (handy in
 * development, where clients pick arbitrary device names).
 */
export function checkDeviceName(device: string | undefined, name: string): void {
  if (device === undefined || name === "" || name === device) return;
  throw new ConnectError(`device ${JSON.stringify(name)} not found (this server is ${JSON.stringify(device)})`, Code.NotFound);
}


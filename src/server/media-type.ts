import { extname } from "node:path";

const BY_EXTENSION: Record<string, string> = {
  ".json": "application/json",
  ".txt": "text/plain",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** The media type a file's extension suggests; `application/octet-stream` when unknown. */
export function mediaTypeOfFile(path: string): string {
  return BY_EXTENSION[extname(path).toLowerCase()] ?? "application/octet-stream";
}

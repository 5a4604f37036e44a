/**
 * The few things the file storage needs from a directory. Node's fs and the
 * browser's Origin Private File System each implement it, so naming, format
 * and validation live once in `file-storage.ts`.
 */
export interface FileDirectory {
  /** The file's bytes, or `undefined` when there is no such file. */
  readFile(name: string): Promise<Uint8Array | undefined>;
  /**
   * Replaces the file as a whole: readers see the old bytes or the new ones,
   * never a torn write (temp file + rename where the platform has rename).
   */
  writeFileAtomic(name: string, bytes: Uint8Array): Promise<void>;
  /** Names of the regular files in the directory. */
  listFiles(): Promise<string[]>;
  /** Removes the file; resolves to whether it existed. */
  removeFile(name: string): Promise<boolean>;
}

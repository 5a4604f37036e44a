// A small in-memory Origin Private File System for Node tests of
// opfs-directory.ts, following the File System standard where that code
// depends on it: name validation (TypeError), NotFoundError,
// TypeMismatchError, InvalidModificationError, and writable streams that
// work on a swap copy committed only by close(). Not part of the app; the
// real thing is exercised in Chromium by the end-to-end suite.

const domError = (name: string, message = name) => new DOMException(message, name);

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\]/.test(name)) {
    throw new TypeError(`invalid entry name ${JSON.stringify(name)}`);
  }
}

export class FakeFileHandle {
  readonly kind = "file";
  data: Uint8Array = new Uint8Array();
  constructor(
    readonly name: string,
    private readonly limits: FakeLimits,
  ) {}

  async getFile(): Promise<File> {
    return new File([this.data.slice()], this.name);
  }

  async createWritable(options: { keepExistingData?: boolean } = {}): Promise<FakeWritable> {
    return new FakeWritable(this, options.keepExistingData ? this.data.slice() : new Uint8Array(), this.limits);
  }
}

export class FakeWritable {
  private state: "open" | "closed" | "aborted" = "open";
  constructor(
    private readonly file: FakeFileHandle,
    private swap: Uint8Array,
    private readonly limits: FakeLimits,
  ) {}

  async write(chunk: ArrayBufferView | ArrayBuffer): Promise<void> {
    if (this.state !== "open") throw new TypeError("stream is closed");
    const bytes = ArrayBuffer.isView(chunk)
      ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      : new Uint8Array(chunk);
    if (this.swap.length + bytes.length > this.limits.maxFileBytes) {
      this.state = "aborted"; // a failed write errors the stream
      throw domError("QuotaExceededError", "quota exceeded (fake)");
    }
    const next = new Uint8Array(this.swap.length + bytes.length);
    next.set(this.swap);
    next.set(bytes, this.swap.length);
    this.swap = next;
  }

  async close(): Promise<void> {
    if (this.state !== "open") throw new TypeError("stream is not open");
    this.state = "closed";
    this.file.data = this.swap; // the atomic commit
  }

  async abort(): Promise<void> {
    this.state = "aborted";
  }
}

interface FakeLimits {
  maxFileBytes: number;
}

export class FakeDirectoryHandle {
  readonly kind = "directory";
  readonly children = new Map<string, FakeFileHandle | FakeDirectoryHandle>();
  constructor(
    readonly name = "",
    /** Writes that would make a file larger than this fail with QuotaExceededError. */
    readonly limits: FakeLimits = { maxFileBytes: Number.POSITIVE_INFINITY },
  ) {}

  async getFileHandle(name: string, options: { create?: boolean } = {}): Promise<FakeFileHandle> {
    checkName(name);
    const entry = this.children.get(name);
    if (entry instanceof FakeDirectoryHandle) throw domError("TypeMismatchError");
    if (entry) return entry;
    if (!options.create) throw domError("NotFoundError");
    const file = new FakeFileHandle(name, this.limits);
    this.children.set(name, file);
    return file;
  }

  async getDirectoryHandle(name: string, options: { create?: boolean } = {}): Promise<FakeDirectoryHandle> {
    checkName(name);
    const entry = this.children.get(name);
    if (entry instanceof FakeFileHandle) throw domError("TypeMismatchError");
    if (entry) return entry;
    if (!options.create) throw domError("NotFoundError");
    const dir = new FakeDirectoryHandle(name, this.limits);
    this.children.set(name, dir);
    return dir;
  }

  async removeEntry(name: string, options: { recursive?: boolean } = {}): Promise<void> {
    checkName(name);
    const entry = this.children.get(name);
    if (!entry) throw domError("NotFoundError");
    if (entry instanceof FakeDirectoryHandle && entry.children.size > 0 && !options.recursive) {
      throw domError("InvalidModificationError");
    }
    this.children.delete(name);
  }

  async *values(): AsyncGenerator<FakeFileHandle | FakeDirectoryHandle> {
    yield* [...this.children.values()];
  }

  /** This fake where the DOM type is expected. */
  asHandle(): FileSystemDirectoryHandle {
    return this as unknown as FileSystemDirectoryHandle;
  }
}

/** Raised at start-up when a file is damaged in a way that cannot be repaired without losing acknowledged writes. */
export class StorageCorruptionError extends Error {
  readonly code = 'STORAGE_CORRUPT';
  constructor(
    readonly file: string,
    readonly offset: number,
    detail: string,
  ) {
    super(
      `Storage file ${file} is corrupt at byte offset ${offset}: ${detail}. ` +
        'Start-up stopped so that no data is dropped silently; restore the file from a backup or repair it by hand.',
    );
    this.name = 'StorageCorruptionError';
  }
}

/** Raised by `commit`/`compact` once the storage is closed or a disk write has failed. */
export class StorageUnavailableError extends Error {
  readonly code = 'STORAGE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A snapshot was not written because it would leave less free space than the journal needs. */
export class InsufficientSpaceError extends Error {
  readonly code = 'STORAGE_NO_SPACE';
  constructor(dir: string, free: number, needed: number) {
    super(`not enough free space in ${dir} for a snapshot: ${free} bytes free, ${needed} needed (the snapshot plus a reserve for the journal)`);
    this.name = 'InsufficientSpaceError';
  }
}

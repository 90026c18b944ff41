/**
 * The engine's persistence layer. `openStorage` takes the data-directory lock,
 * recovers the state (snapshot + journals) and returns a `Storage` whose
 * `commit` resolves once the change is fsynced.
 */
import { FileStorage } from './file-storage.js';
import type { Storage, StorageOptions } from './types.js';

export type * from './types.js';
export { DataDirLockedError } from './lock.js';
export { StorageCorruptionError, StorageUnavailableError } from './errors.js';
export { DEFAULT_COMPACT_THRESHOLD_BYTES } from './file-storage.js';

export function openStorage(options: StorageOptions): Promise<Storage> {
  return FileStorage.open(options);
}

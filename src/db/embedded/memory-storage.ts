/** A non-durable Storage for tests and for running before the journal exists. */
import type { JournalOp, Storage, StoredState } from './storage/types.js';

export function createMemoryStorage(initialState: StoredState = { collections: [] }): Storage {
  return {
    initialState,
    async commit(_ops: JournalOp[]) {},
    shouldCompact: () => false,
    async compact(_state: StoredState) {},
    async close() {},
  };
}

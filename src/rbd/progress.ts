import type { CallOptions } from '../abort.ts';

/** Progress callback of long image operations (flatten, resize, rollback, readable streams): units done of total. */
export type Progress = (done: number, total: number) => void;

/** Options of the long image operations: `Image.flatten`, `Image.resize`, `Image.rollbackToSnap`. */
export interface ProgressOptions extends CallOptions {
  /** Called as the operation advances: units done of total. */
  onProgress?: Progress;
}

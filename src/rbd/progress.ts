/** Progress callback of long image operations (flatten, resize, rollback, readable streams): units done of total. */
export type Progress = (done: number, total: number) => void;

// WriteOp/ReadOp are pure builders and live in protocol/osd/compound-op.ts. This re-export
// keeps src/rbd's imports working while that folder is restructured; drop it once src/rbd
// imports from protocol/osd.
export { ReadOp, type ReadStepValue, WriteOp } from '../protocol/osd/compound-op.ts';

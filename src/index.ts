// rados-ts: the client. Later issues add Rados, IoCtx and RBD here.
export * from '../protocol/index.ts';

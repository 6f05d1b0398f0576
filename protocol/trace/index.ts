// Reading msgr2 traffic out of captures (`rados-ts trace decode`).
export * from './frame-walker.ts';
export * from './trace-session.ts';
export * from './describe-osd-op.ts';
export * from './describe-message.ts';
export * from './describe-frame.ts';
export * from './decode-capture.ts';
export * from './secure-walker.ts';
export * from './session-keys.ts';
export * from './open-secure-sessions.ts';

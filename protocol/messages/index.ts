export * from './message-types.ts';
export * from './paxos-header.ts';
export * from './mon-map-message.ts';
export * from './mon-command.ts';
export * from './mon-subscribe.ts';
export * from './mon-get-version.ts';
export * from './osd-map-message.ts';
export * from './auth-message.ts';

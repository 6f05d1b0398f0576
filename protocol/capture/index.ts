// Packet captures: pcap/pcapng files, TCP segments, reassembled streams (for `rados-ts trace`).
export * from './capture-errors.ts';
export * from './capture-file.ts';
export * from './tcp-segment.ts';
export * from './tcp-streams.ts';

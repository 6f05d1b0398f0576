// rados-ts/protocol: pure codecs (no I/O, no Node APIs).
export * from './encoding/index.ts';
export { crc32c } from './checksum/crc32c.ts';
export * from './types/utime.ts';
export * from './types/uuid.ts';
export * from './types/entity-name.ts';
export * from './types/entity-addr.ts';
export * from './types/eversion.ts';
export * from './types/pg.ts';
export * from './types/hobject.ts';
export * from './types/object-locator.ts';
export * from './types/osd-reqid.ts';
export { formatIp, parseIp } from './types/ip.ts';
export * from './maps/monmap.ts';
export { cephReleaseName } from './maps/ceph-release.ts';
export * from './errors.ts';
export * from './msgr2/index.ts';
export * from './crypto/crypto-provider.ts';
export * from './messages/index.ts';

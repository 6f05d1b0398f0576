// Object operation codes and flags (src/include/rados.h): CEPH_OSD_OP_* and CEPH_OSD_FLAG_*.
// The op codes are written once, in one table as rados.h's __CEPH_FORALL_OSD_OPS lists them
// (mode, type, number, the name Ceph's logs print); the codes, the names and the read/write
// tests are derived from it.

/** CEPH_OSD_OP_MODE_*: the high nibble of an op code says whether it reads, writes or both. */
const RD = 0x1000;
const WR = 0x2000;
const RMW = RD | WR;
/** CEPH_OSD_OP_TYPE_*: what the op works on. */
const DATA = 0x0200;
const ATTR = 0x0300;
const EXEC = 0x0400;
const PG = 0x0500;

/** The ops we send or may read in a capture: [mode, type, number, ceph_osd_op_name]. */
const OPS = {
  READ: [RD, DATA, 1, 'read'],
  STAT: [RD, DATA, 2, 'stat'],
  SPARSE_READ: [RD, DATA, 5, 'sparse-read'],
  NOTIFY: [RD, DATA, 6, 'notify'],
  NOTIFY_ACK: [RD, DATA, 7, 'notify-ack'],
  ASSERT_VER: [RD, DATA, 8, 'assert-version'],
  LIST_WATCHERS: [RD, DATA, 9, 'list-watchers'],
  LIST_SNAPS: [RD, DATA, 10, 'list-snaps'],
  WRITE: [WR, DATA, 1, 'write'],
  WRITEFULL: [WR, DATA, 2, 'writefull'],
  TRUNCATE: [WR, DATA, 3, 'truncate'],
  ZERO: [WR, DATA, 4, 'zero'],
  DELETE: [WR, DATA, 5, 'delete'],
  APPEND: [WR, DATA, 6, 'append'],
  TMAPUP: [RMW, DATA, 10, 'tmapup'],
  CREATE: [WR, DATA, 13, 'create'],
  ROLLBACK: [WR, DATA, 14, 'rollback'],
  WATCH: [WR, DATA, 15, 'watch'],
  OMAPGETKEYS: [RD, DATA, 17, 'omap-get-keys'],
  OMAPGETVALS: [RD, DATA, 18, 'omap-get-vals'],
  OMAPGETHEADER: [RD, DATA, 19, 'omap-get-header'],
  OMAPGETVALSBYKEYS: [RD, DATA, 20, 'omap-get-vals-by-keys'],
  OMAPSETVALS: [WR, DATA, 21, 'omap-set-vals'],
  OMAPSETHEADER: [WR, DATA, 22, 'omap-set-header'],
  OMAPCLEAR: [WR, DATA, 23, 'omap-clear'],
  OMAPRMKEYS: [WR, DATA, 24, 'omap-rm-keys'],
  OMAP_CMP: [RD, DATA, 25, 'omap-cmp'],
  CMPEXT: [RD, DATA, 32, 'cmpext'],
  SETALLOCHINT: [WR, DATA, 35, 'set-alloc-hint'],
  WRITESAME: [WR, DATA, 38, 'write-same'],
  OMAPRMKEYRANGE: [WR, DATA, 44, 'omap-rm-key-range'],
  GETXATTR: [RD, ATTR, 1, 'getxattr'],
  GETXATTRS: [RD, ATTR, 2, 'getxattrs'],
  CMPXATTR: [RD, ATTR, 3, 'cmpxattr'],
  SETXATTR: [WR, ATTR, 1, 'setxattr'],
  RMXATTR: [WR, ATTR, 4, 'rmxattr'],
  // rados.h: CALL carries the RD bit, but whether a class method writes is the method's call.
  CALL: [RD, EXEC, 1, 'call'],
  PGLS: [RD, PG, 1, 'pgls'],
  PGNLS: [RD, PG, 5, 'pgnls'],
} as const satisfies Record<string, readonly [number, number, number, string]>;

export type OsdOpName = keyof typeof OPS;

const entries = Object.entries(OPS) as Array<[OsdOpName, (typeof OPS)[OsdOpName]]>;

/** CEPH_OSD_OP_<name> → op code. */
export const OsdOpCode: Readonly<Record<OsdOpName, number>> = Object.freeze(
  Object.fromEntries(entries.map(([k, [mode, type, nr]]) => [k, mode | type | nr])) as Record<OsdOpName, number>,
);

const NAMES = new Map<number, string>(entries.map(([k, [, , , name]]) => [OsdOpCode[k], name]));

/** ceph_osd_op_name: how Ceph prints an op code ("???" for codes not in the table, as Ceph does). */
export const osdOpName = (op: number): string => NAMES.get(op) ?? '???';

/** An op modifies the object when its code has the WR bit (rados.h ceph_osd_op_mode_modify). */
export const isWriteOp = (op: number): boolean => (op & WR) !== 0;

/** An op reads when its code has the RD bit, CALL excepted (rados.h ceph_osd_op_mode_read). */
export const isReadOp = (op: number): boolean => (op & RD) !== 0 && op !== OsdOpCode.CALL;

export const OsdFlag = {
  ACK: 0x1,
  ONDISK: 0x4,
  RETRY: 0x8,
  READ: 0x10,
  WRITE: 0x20,
  PGOP: 0x400,
  KNOWN_REDIR: 0x400000,
} as const;

/** ceph_osd_flag_name (src/osd/osd_types.cc) by bit: how Ceph prints CEPH_OSD_FLAG_* (bit 0 first). */
const FLAG_NAMES = [
  'ack',
  'onnvram',
  'ondisk',
  'retry',
  'read',
  'write',
  'ordersnap',
  'peerstat_old',
  'balance_reads',
  'parallelexec',
  'pgop',
  'exec',
  'exec_public',
  'localize_reads',
  'rwordered',
  'ignore_cache',
  'skiprwlocks',
  'ignore_overlay',
  'flush',
  'map_snap_clone',
  'enforce_snapc',
  'redirected',
  'known_if_redirected',
  'full_try',
  'full_force',
  'ignore_redirect',
  'returnvec',
  'supports_pool_eio', // CEPH_OSD_FLAG_SUPPORTSPOOLEIO, set by Reef and later clients
];

/** ceph_osd_flag_string: the set flags' names ("???" for a bit Ceph does not name), or ['-'] for none. */
export function osdFlagNames(flags: number): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < 32; bit++) if (flags & (1 << bit)) names.push(FLAG_NAMES[bit] ?? '???');
  return names.length ? names : ['-'];
}

/** CEPH_OSD_OP_FLAG_*: per-op flags. */
export const OsdOpFlag = { EXCL: 0x1, FAILOK: 0x2 } as const;

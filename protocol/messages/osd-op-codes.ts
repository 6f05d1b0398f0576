// Object operation codes and flags (src/include/rados.h): CEPH_OSD_OP_* and CEPH_OSD_FLAG_*.
export const OsdOpCode = {
  READ: 0x1201,
  STAT: 0x1202,
  SPARSE_READ: 0x1205,
  ASSERT_VER: 0x1208,
  CMPEXT: 0x1220,
  WRITE: 0x2201,
  WRITEFULL: 0x2202,
  TRUNCATE: 0x2203,
  ZERO: 0x2204,
  DELETE: 0x2205,
  APPEND: 0x2206,
  CREATE: 0x220d,
  ROLLBACK: 0x220e,
  WRITESAME: 0x2226,
  OMAPGETKEYS: 0x1211,
  OMAPGETVALS: 0x1212,
  OMAPGETHEADER: 0x1213,
  OMAPGETVALSBYKEYS: 0x1214,
  OMAPSETVALS: 0x2215,
  OMAPSETHEADER: 0x2216,
  OMAPCLEAR: 0x2217,
  OMAPRMKEYS: 0x2218,
  OMAP_CMP: 0x1219,
  OMAPRMKEYRANGE: 0x222c,
  GETXATTR: 0x1301,
  GETXATTRS: 0x1302,
  CMPXATTR: 0x1303,
  SETXATTR: 0x2301,
  RMXATTR: 0x2304,
  CALL: 0x1401,
  PGLS: 0x1501,
  PGNLS: 0x1505,
} as const;

export const OsdFlag = {
  ACK: 0x1,
  ONDISK: 0x4,
  RETRY: 0x8,
  READ: 0x10,
  WRITE: 0x20,
  PGOP: 0x400,
  KNOWN_REDIR: 0x400000,
} as const;

/** CEPH_OSD_OP_FLAG_*: per-op flags. */
export const OsdOpFlag = { EXCL: 0x1, FAILOK: 0x2 } as const;

/** An op reads when its code has the RD bit (rados.h CEPH_OSD_OP_MODE_RD = 0x1000). */
export const isWriteOp = (op: number): boolean => (op & 0x2000) !== 0;

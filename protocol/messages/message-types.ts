// Message type ids (src/include/ceph_fs.h, src/msg/Message.h) for what a client sends and receives.
export const MsgType = {
  MON_MAP: 4,
  MON_GET_MAP: 5,
  STATFS: 13,
  STATFS_REPLY: 14,
  MON_SUBSCRIBE: 15,
  MON_SUBSCRIBE_ACK: 16,
  AUTH: 17,
  AUTH_REPLY: 18,
  MON_GET_VERSION: 19,
  MON_GET_VERSION_REPLY: 20,
  OSD_MAP: 41,
  OSD_OP: 42,
  OSD_OPREPLY: 43,
  WATCH_NOTIFY: 44,
  OSD_BACKOFF: 61,
  POOLOP_REPLY: 48,
  POOLOP: 49,
  MON_COMMAND: 50,
  MON_COMMAND_ACK: 51,
  LOG: 52,
  CONFIG: 62,
  GET_CONFIG: 63,
  MON_GET_OSDMAP: 0x0103 /* unused by clients, listed for traces */,
} as const;

const NAMES = new Map<number, string>(Object.entries(MsgType).map(([k, v]) => [v, k]));
export function msgTypeName(type: number): string {
  return NAMES.get(type) ?? `MSG_${type}`;
}

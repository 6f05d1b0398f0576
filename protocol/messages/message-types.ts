// Message type ids (src/include/ceph_fs.h, src/msg/Message.h) for what a client sends and receives.
/** Message type ids: the `type` field of a message header (ceph_msg_header::type), by the name Ceph gives them. */
export const MsgType = {
  /** CEPH_MSG_PING (MPing): a liveness probe; a monitor answers with its health and status JSON (ping_monitor). */
  PING: 2,
  /** CEPH_MSG_MON_MAP (MMonMap): the monitor map. */
  MON_MAP: 4,
  /** CEPH_MSG_MON_GET_MAP (MMonGetMap): ask a monitor for its monmap. */
  MON_GET_MAP: 5,
  /** CEPH_MSG_STATFS (MStatfs): ask for cluster or pool usage totals. */
  STATFS: 13,
  /** CEPH_MSG_STATFS_REPLY (MStatfsReply): the usage totals. */
  STATFS_REPLY: 14,
  /** CEPH_MSG_MON_SUBSCRIBE (MMonSubscribe): subscribe to map updates (monmap, osdmap, config …). */
  MON_SUBSCRIBE: 15,
  /** CEPH_MSG_MON_SUBSCRIBE_ACK (MMonSubscribeAck): the monitor acknowledges a subscription. */
  MON_SUBSCRIBE_ACK: 16,
  /** CEPH_MSG_AUTH (MAuth): an authentication request to a monitor (cephx tickets). */
  AUTH: 17,
  /** CEPH_MSG_AUTH_REPLY (MAuthReply): the monitor's answer to MAuth. */
  AUTH_REPLY: 18,
  /** CEPH_MSG_MON_GET_VERSION (MMonGetVersion): ask for the newest version of a map. */
  MON_GET_VERSION: 19,
  /** CEPH_MSG_MON_GET_VERSION_REPLY (MMonGetVersionReply): the newest and oldest versions held. */
  MON_GET_VERSION_REPLY: 20,
  /** CEPH_MSG_OSD_MAP (MOSDMap): full and incremental OSDMaps. */
  OSD_MAP: 41,
  /** CEPH_MSG_OSD_OP (MOSDOp): a client operation on one object. */
  OSD_OP: 42,
  /** CEPH_MSG_OSD_OPREPLY (MOSDOpReply): the result of an MOSDOp. */
  OSD_OPREPLY: 43,
  /** CEPH_MSG_WATCH_NOTIFY (MWatchNotify): a notify, its completion, or a watch error sent to a watcher. */
  WATCH_NOTIFY: 44,
  /** CEPH_MSG_OSD_BACKOFF (MOSDBackoff): an OSD asks the client to hold ops to a PG or object range. */
  OSD_BACKOFF: 61,
  /** MSG_GETPOOLSTATS (MGetPoolStats): ask the monitors for pools' usage (Ioctx.get_stats). */
  GETPOOLSTATS: 58,
  /** MSG_GETPOOLSTATSREPLY (MGetPoolStatsReply): the pools' pool_stat_t. */
  GETPOOLSTATSREPLY: 59,
  /** CEPH_MSG_POOLOP_REPLY (MPoolOpReply): the result of an MPoolOp. */
  POOLOP_REPLY: 48,
  /** CEPH_MSG_POOLOP (MPoolOp): create or delete a pool, or a pool snapshot. */
  POOLOP: 49,
  /** MSG_MON_COMMAND (MMonCommand): a `ceph` CLI command for the monitors. */
  MON_COMMAND: 50,
  /** MSG_MON_COMMAND_ACK (MMonCommandAck): a command's result code, status string and output. */
  MON_COMMAND_ACK: 51,
  /** MSG_LOG (MLog): cluster log entries sent to the monitors. */
  LOG: 52,
  /** MSG_COMMAND (MCommand): a command for an OSD (`ceph tell osd.N`, osd_command, pg_command). */
  COMMAND: 97,
  /** MSG_COMMAND_REPLY (MCommandReply): an OSD's result code, status string and output. */
  COMMAND_REPLY: 98,
  /** MSG_CONFIG (MConfig): the centralized configuration the monitors push to a subscriber. */
  CONFIG: 62,
  /** MSG_GET_CONFIG (MGetConfig): ask the monitors for an entity's configuration. */
  GET_CONFIG: 63,
  /** MSG_MON_GET_OSDMAP (MMonGetOSDMap): ask for a range of OSDMaps (used by the OSDs). */
  MON_GET_OSDMAP: 0x0103 /* unused by clients, listed for traces */,
  /** MSG_MGR_MAP (MMgrMap): the MgrMap, sent to whoever subscribes to "mgrmap" (every librados client). */
  MGR_MAP: 0x0704,
  /** MSG_MGR_COMMAND (MMgrCommand): a command for the active manager (mgr_command, Octopus+). */
  MGR_COMMAND: 0x0709,
  /** MSG_MGR_COMMAND_REPLY (MMgrCommandReply): the manager's result code, status string and output. */
  MGR_COMMAND_REPLY: 0x070a,
} as const;

const NAMES = new Map<number, string>(Object.entries(MsgType).map(([k, v]) => [v, k]));
/** The name of a message type (e.g. "OSD_OP" for 42), or MSG_<n> for one not in MsgType. */
export function msgTypeName(type: number): string {
  return NAMES.get(type) ?? `MSG_${type}`;
}

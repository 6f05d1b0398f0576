// Feature bits (src/include/ceph_features.h), named once for the encoders that depend on them
// and for the connection that advertises them. We advertise what a Pacific librados client
// advertises (seen from `ceph features` on a live 16.2.15 cluster: 0x3f01cfbdfffdffff), so
// the daemons send the same canonical encodings they send librados.
export const CLIENT_FEATURES = 0x3f01cfbdfffdffffn;
/** CEPH_FEATURE_MSG_ADDR2 (bit 59): msgr2 adds it to CLIENT_IDENT's required mask; without it peers get the legacy 136-byte address. */
export const FEATURE_MSG_ADDR2 = 1n << 59n;
/** CEPH_FEATURE_SERVER_NAUTILUS (bit 2): without it an address of TYPE_ANY is sent as LEGACY. */
export const FEATURE_SERVER_NAUTILUS = 1n << 2n;
/** Every bit set: encode for a peer that has every feature (the newest encodings). */
export const ALL_FEATURES = 0xffffffffffffffffn;
/** What a msgr2 frame's own fields assume (frames_v2.h msgr2_frame_assumed). */
export const MSGR2_FRAME_ASSUMED = FEATURE_MSG_ADDR2 | FEATURE_SERVER_NAUTILUS;

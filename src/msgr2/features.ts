// Feature bits (src/include/ceph_features.h). We advertise what a Pacific librados client
// advertises (seen from `ceph features` on a live 16.2.15 cluster: 0x3f01cfbdfffdffff), so
// the daemons send the same canonical encodings they send librados.
export const CLIENT_FEATURES = 0x3f01cfbdfffdffffn;
/** CEPH_FEATURE_MSG_ADDR2 (bit 59): msgr2 adds it to CLIENT_IDENT's required mask. */
export const FEATURE_MSG_ADDR2 = 1n << 59n;
export const FEATURE_SERVER_NAUTILUS = 1n << 2n;
/** What a msgr2 frame's own fields assume (frames_v2.h msgr2_frame_assumed). */
export const MSGR2_FRAME_ASSUMED = FEATURE_MSG_ADDR2 | FEATURE_SERVER_NAUTILUS;

import type { Reader } from '../encoding/reader.ts';
import { Reader as ByteReader } from '../encoding/reader.ts';
import { Writer } from '../encoding/writer.ts';
import { decodeEntityAddrvec, encodeEntityAddrvec, type EntityAddr } from '../types/entity-addr.ts';
import { decodeUtime, encodeUtime, type UTime } from '../types/utime.ts';
import { decodeUuid, encodeUuid } from '../types/uuid.ts';

/** One monitor (mon_info_t, src/mon/MonMap.h). */
export interface MonInfo {
  /** mon_info_t::name: the monitor's name (e.g. "a"). */
  name: string;
  /** mon_info_t::public_addrs: where clients reach the monitor (v2 and/or v1 addresses). */
  publicAddrs: EntityAddr[];
  /** mon_info_t::priority: lower is preferred when a client picks a monitor to connect to. */
  priority: number;
  /** mon_info_t::weight: relative chance of being picked among monitors of equal priority; 0 = default. */
  weight: number;
  /** mon_info_t::crush_loc: the monitor's CRUSH location (stretch mode), e.g. datacenter → site1. */
  crushLoc: Map<string, string>;
  /** When the monitor joined the map (mon_info_t v6, Tentacle); absent from older maps. */
  timeAdded?: UTime;
}

/** The monitor map (src/mon/MonMap.{h,cc}), as `monmaptool` and `ceph mon getmap` write it. */
export interface MonMap {
  /** MonMap::fsid: the cluster's fsid, as a UUID string. */
  fsid: string;
  /** MonMap::epoch: the map's version. */
  epoch: number;
  /** MonMap::last_changed: when this epoch was made. */
  lastChanged: UTime;
  /** MonMap::created: when the first monmap was made. */
  created: UTime;
  /**
   * MonMap::persistent_features: ceph::features::mon bits every monitor has committed to (monFeatureNames names
   * them).
   */
  persistentFeatures: bigint;
  /** MonMap::optional_features: ceph::features::mon bits some monitors support. */
  optionalFeatures: bigint;
  /** Keyed by name, in Ceph's (sorted) order. */
  monInfo: Map<string, MonInfo>;
  /** Monitor names by rank. */
  ranks: string[];
  /** MonMap::min_mon_release: ceph_release_t number of the oldest release a monitor may run. */
  minMonRelease: number;
  /** MonMap::removed_ranks: ranks of recently removed monitors, which the election logic adjusts for (v8+). */
  removedRanks: number[];
  /** MonMap::strategy: election strategy (1 classic, 2 disallow, 3 connectivity). */
  electionStrategy: number;
  /** MonMap::disallowed_leaders: monitors that may not become leader. */
  disallowedLeaders: string[];
  /** MonMap::stretch_mode_enabled: the cluster runs in stretch mode. */
  stretchModeEnabled: boolean;
  /** MonMap::tiebreaker_mon: in stretch mode, the monitor outside both sites that breaks ties. */
  tiebreakerMon: string;
  /** MonMap::stretch_marked_down_mons: monitors of a site stretch mode considers down. */
  stretchMarkedDownMons: string[];
  /** Tentacle's cephx cipher settings (MonMap v10); absent from older maps. */
  auth?: MonMapAuth;
}

/**
 * The auth settings a Tentacle monmap carries (src/mon/MonMap.h, MonMap v10): ciphers are
 * CEPH_CRYPTO_* key types (0 none, 1 aes, 2 aes256k). An older map decodes without them
 * (Ceph then assumes epoch 0, service aes, allowed aes and aes256k, preferred aes).
 */
export interface MonMapAuth {
  /** MonMap::auth_epoch: bumped when the cipher settings change. */
  epoch: number;
  /** MonMap::auth_service_cipher: the CEPH_CRYPTO_* type of the service keys. */
  serviceCipher: number;
  /** As encoded: sorted ascending. */
  allowedCiphers: number[];
  /** MonMap::auth_preferred_cipher: the CEPH_CRYPTO_* type clients should use when allowed. */
  preferredCipher: number;
}

/** CryptoManager::get_key_type_name (src/auth/Crypto.cc, Tentacle): how monmaptool prints a cipher. */
export function monCipherName(type: number): string {
  return type === 0 ? 'none' : type === 1 ? 'aes' : type === 2 ? 'aes256k' : '???';
}

/**
 * ceph::features::mon bits by bit number (src/mon/mon_types.h), named as `ceph mon dump` prints
 * them: one per release up to umbrella (bit 12), then release-independent ones (Tentacle:
 * cephx_auth_aes256k at 31, nvmeof_beacon_diff at 32; seen in `ceph mon dump` of 20.2.4).
 */
export const MON_FEATURE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'kraken'],
  [1, 'luminous'],
  [2, 'mimic'],
  [3, 'osdmap-prune'],
  [4, 'nautilus'],
  [5, 'octopus'],
  [6, 'pacific'],
  [7, 'elector-pinging'],
  [8, 'quincy'],
  [9, 'reef'],
  [10, 'squid'],
  [11, 'tentacle'],
  [12, 'umbrella'],
  [31, 'cephx_auth_aes256k'],
  [32, 'nvmeof_beacon_diff'],
]);

/** The names of the set ceph::features::mon bits, lowest first (`unknown-<bit>` for one not in MON_FEATURE_NAMES). */
export function monFeatureNames(bits: bigint): string[] {
  const out: string[] = [];
  for (let i = 0; i < 64; i++) {
    if ((bits >> BigInt(i)) & 1n) out.push(MON_FEATURE_NAMES.get(i) ?? `unknown-${i}`);
  }
  return out;
}

/** mon_feature_t: ENCODE_START(1,1) le64 features. */
function decodeMonFeatures(r: Reader, field: string): bigint {
  return r.struct(field, 1, (r) => r.u64(field));
}

function decodeMonInfo(r: Reader, field: string): MonInfo {
  return r.struct(field, 6, (r, v) => {
    const name = r.string(`${field}.name`);
    const publicAddrs = decodeEntityAddrvec(r, `${field}.public_addrs`);
    const priority = v >= 2 ? r.u16(`${field}.priority`) : 0;
    const weight = v >= 4 ? r.u16(`${field}.weight`) : 0;
    const crushLoc =
      v >= 5
        ? r.map(
            `${field}.crush_loc`,
            (r) => r.string(`${field}.crush_loc.key`),
            (r) => r.string(`${field}.crush_loc.value`),
            8,
          )
        : new Map<string, string>();
    const timeAdded = v >= 6 ? decodeUtime(r, `${field}.time_added`) : undefined;
    return { name, publicAddrs, priority, weight, crushLoc, ...(timeAdded ? { timeAdded } : {}) };
  });
}

const strings = (r: Reader, field: string): string[] => r.array(field, (r) => r.string(field), 4);

/** Decodes a MonMap of struct version 6 (Nautilus) to 10 (Tentacle); later versions' extra tail is skipped. */
export function decodeMonMap(bytes: Uint8Array): MonMap {
  const r = new ByteReader(bytes);
  const map = r.struct('MonMap', 10, (r, v) => {
    if (v < 6) r.fail('MonMap', `pre-Nautilus MonMap encoding v${v} is not supported`, 0);
    const fsid = decodeUuid(r, 'MonMap.fsid');
    const epoch = r.u32('MonMap.epoch');
    const lastChanged = decodeUtime(r, 'MonMap.last_changed');
    const created = decodeUtime(r, 'MonMap.created');
    const persistentFeatures = decodeMonFeatures(r, 'MonMap.persistent_features');
    const optionalFeatures = decodeMonFeatures(r, 'MonMap.optional_features');
    const monInfo = r.map(
      'MonMap.mon_info',
      (r) => r.string('MonMap.mon_info.key'),
      (r) => decodeMonInfo(r, 'MonMap.mon_info'),
      10,
    );
    const ranks = strings(r, 'MonMap.ranks');
    const minMonRelease = v >= 7 ? r.u8('MonMap.min_mon_release') : 0;
    let removedRanks: number[] = [];
    let electionStrategy = 1;
    let disallowedLeaders: string[] = [];
    if (v >= 8) {
      removedRanks = r.array('MonMap.removed_ranks', (r) => r.i32('MonMap.removed_ranks'), 4);
      electionStrategy = r.u8('MonMap.strategy');
      disallowedLeaders = strings(r, 'MonMap.disallowed_leaders');
    }
    let stretchModeEnabled = false;
    let tiebreakerMon = '';
    let stretchMarkedDownMons: string[] = [];
    if (v >= 9) {
      stretchModeEnabled = r.bool('MonMap.stretch_mode_enabled');
      tiebreakerMon = r.string('MonMap.tiebreaker_mon');
      stretchMarkedDownMons = strings(r, 'MonMap.stretch_marked_down_mons');
    }
    const auth: MonMapAuth | undefined =
      v >= 10
        ? {
            epoch: r.u32('MonMap.auth_epoch'),
            serviceCipher: r.i32('MonMap.auth_service_cipher'),
            allowedCiphers: r.array('MonMap.auth_allowed_ciphers', (r) => r.i32('MonMap.auth_allowed_ciphers'), 4),
            preferredCipher: r.i32('MonMap.auth_preferred_cipher'),
          }
        : undefined;
    return {
      fsid,
      epoch,
      lastChanged,
      created,
      persistentFeatures,
      optionalFeatures,
      monInfo,
      ranks,
      minMonRelease,
      removedRanks,
      electionStrategy,
      disallowedLeaders,
      stretchModeEnabled,
      tiebreakerMon,
      stretchMarkedDownMons,
      ...(auth ? { auth } : {}),
    };
  });
  return map;
}

/**
 * Encodes as Ceph does for a Nautilus-or-later peer: MonMap v9 compat 6 (Pacific, Reef), v10
 * when the map carries Tentacle's auth settings (allowed ciphers sorted, as MonMap::encode).
 */
export function encodeMonMap(m: MonMap, features?: bigint): Uint8Array {
  const w = new Writer(512);
  w.struct(m.auth ? 10 : 9, 6, (w) => {
    encodeUuid(w, m.fsid);
    w.u32(m.epoch);
    encodeUtime(w, m.lastChanged);
    encodeUtime(w, m.created);
    w.struct(1, 1, (w) => w.u64(m.persistentFeatures));
    w.struct(1, 1, (w) => w.u64(m.optionalFeatures));
    w.map(
      m.monInfo,
      (w, k) => w.string(k),
      // mon_info_t: v5 (compat 5 with a crush location) before Tentacle, v6 compat 1 with time_added since.
      (w, mi) =>
        w.struct(mi.timeAdded ? 6 : 5, mi.timeAdded || mi.crushLoc.size === 0 ? 1 : 5, (w) => {
          w.string(mi.name);
          encodeEntityAddrvec(w, mi.publicAddrs, features);
          w.u16(mi.priority).u16(mi.weight);
          w.map(
            mi.crushLoc,
            (w, k) => w.string(k),
            (w, v) => w.string(v),
          );
          if (mi.timeAdded) encodeUtime(w, mi.timeAdded);
        }),
    );
    w.array(m.ranks, (w, s) => w.string(s));
    w.u8(m.minMonRelease);
    w.array(m.removedRanks, (w, n) => w.i32(n));
    w.u8(m.electionStrategy);
    w.array(m.disallowedLeaders, (w, s) => w.string(s));
    w.bool(m.stretchModeEnabled);
    w.string(m.tiebreakerMon);
    w.array(m.stretchMarkedDownMons, (w, s) => w.string(s));
    if (m.auth) {
      w.u32(m.auth.epoch);
      w.i32(m.auth.serviceCipher);
      w.array(
        [...m.auth.allowedCiphers].sort((a, b) => a - b),
        (w, c) => w.i32(c),
      );
      w.i32(m.auth.preferredCipher);
    }
  });
  return w.finish();
}

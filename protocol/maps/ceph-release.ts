/** ceph_release_t names (src/common/ceph_releases.cc); 0 prints as "unknown". */
const RELEASES = [
  'unknown',
  'argonaut',
  'bobtail',
  'cuttlefish',
  'dumpling',
  'emperor',
  'firefly',
  'giant',
  'hammer',
  'infernalis',
  'jewel',
  'kraken',
  'luminous',
  'mimic',
  'nautilus',
  'octopus',
  'pacific',
  'quincy',
  'reef',
  'squid',
  'tentacle',
] as const;

/** The name of a ceph_release_t number (e.g. 16 → "pacific"); "unknown" for 0 or one past the table. */
export function cephReleaseName(n: number): string {
  return RELEASES[n] ?? 'unknown';
}

// Pool application tags (`ceph osd pool application …`), as librados' IoCtxImpl does them
// (src/librados/IoCtxImpl.cc, application_enable/list/metadata_*): changes are monitor
// commands followed by a wait for the OSDMap that carries them; reads come from the pool's
// pg_pool_t::application_metadata in the map we hold.
import { Errno, RadosError } from '../protocol/errors.ts';
import type { OSDMap } from '../crush/osdmap/osdmap.ts';
import type { CallOptions } from './abort.ts';
import { checkCommand, type MonCommandResult } from './mon/mon-client.ts';

/** What the application calls use of an IoCtx and its cluster handle. */
export interface PoolApplicationDeps {
  poolId: number;
  poolName: string;
  map: () => OSDMap | undefined;
  monCommand: (cmd: object, options?: CallOptions) => Promise<MonCommandResult>;
  waitForLatestOsdMap: (options?: CallOptions) => Promise<void>;
}

/** The pool's applications and their metadata, as the map we hold has them (ENOENT: the pool is gone). */
function applications(d: PoolApplicationDeps): Map<string, Map<string, string>> {
  const pool = d.map()?.pools.get(d.poolId);
  if (!pool) throw new RadosError(`pool ${d.poolName} does not exist`, Errno.ENOENT);
  return pool.applicationMetadata;
}

function application(d: PoolApplicationDeps, app: string): Map<string, string> {
  const meta = applications(d).get(app);
  if (!meta) throw new RadosError(`application ${app} is not enabled on pool ${d.poolName}`, Errno.ENOENT);
  return meta;
}

/** A monitor command on this pool, then the map that carries its change. */
async function poolCommand(d: PoolApplicationDeps, cmd: Record<string, unknown>, what: string, options?: CallOptions): Promise<void> {
  checkCommand(await d.monCommand({ ...cmd, pool: d.poolName }, options), `${what} on pool ${d.poolName}`);
  await d.waitForLatestOsdMap(options);
}

export function applicationEnable(d: PoolApplicationDeps, app: string, force: boolean, options?: CallOptions): Promise<void> {
  // librados sends yes_i_really_mean_it only when forced (a second application on a pool).
  return poolCommand(d, { prefix: 'osd pool application enable', app, ...(force ? { yes_i_really_mean_it: true } : {}) }, `application enable ${app}`, options);
}

export function applicationList(d: PoolApplicationDeps): string[] {
  return [...applications(d).keys()];
}

export function applicationMetadataGet(d: PoolApplicationDeps, app: string, key: string): string {
  const value = application(d, app).get(key);
  if (value === undefined) throw new RadosError(`application ${app} on pool ${d.poolName} has no key ${key}`, Errno.ENOENT);
  return value;
}

export function applicationMetadataSet(d: PoolApplicationDeps, app: string, key: string, value: string, options?: CallOptions): Promise<void> {
  return poolCommand(d, { prefix: 'osd pool application set', app, key, value }, `application set ${app} ${key}`, options);
}

export function applicationMetadataRemove(d: PoolApplicationDeps, app: string, key: string, options?: CallOptions): Promise<void> {
  return poolCommand(d, { prefix: 'osd pool application rm', app, key }, `application rm ${app} ${key}`, options);
}

export function applicationMetadataList(d: PoolApplicationDeps, app: string): Array<[key: string, value: string]> {
  return [...application(d, app).entries()];
}

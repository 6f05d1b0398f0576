// `rados-ts/crush` as a consumer sees it: placement from decoded maps.
import {
  decodeCrushMap,
  decodeOSDMap,
  doRule,
  chooseArgsFor,
  pgToUpActing,
  objectToPg,
  objectToOsds,
  type CrushMap,
  type ObjectMapping,
  type PgId,
  type PgPool,
  type PgMapping,
  type PoolSnapInfo,
  type ChooseArgs,
} from 'rados-ts/crush';

export function place(crushBytes: Uint8Array, osdmapBytes: Uint8Array, pool: number, oid: string): PgMapping {
  const crush: CrushMap = decodeCrushMap(crushBytes);
  const args: ChooseArgs = chooseArgsFor(crush, undefined);
  void doRule;
  void args;
  const map = decodeOSDMap(osdmapBytes);
  const p: PgPool | undefined = map.pools.get(pool);
  const snaps: PoolSnapInfo[] = [...(p?.snaps.values() ?? [])];
  void snaps;
  const pg: PgId = objectToPg(map, pool, oid);
  const where: ObjectMapping = objectToOsds(map, pool, oid);
  void where.pgid.seed;
  return pgToUpActing(map, pg.pool, pg.seed);
}

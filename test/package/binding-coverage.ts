// The README's coverage table against Ceph's Python bindings: each public method of
// python3-rados/python3-rbd 16.2.15 (fixtures/pybind/methods.json) beside the member of ours
// that does its work, or "—". `node dist/test/package/binding-coverage.js` prints the table the
// README holds between its binding-coverage markers; binding-coverage.test.ts keeps it true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { fixturesRoot } from '../fixtures/fixtures-root.ts';

/** The build's root (dist/), where the declarations are. */
const distRoot = join(fixturesRoot, '..', 'dist');

/** Our class for each binding class; absent: the binding class has no counterpart object. */
export const OUR_CLASS: Record<string, string | undefined> = {
  'rados.Rados': 'Rados',
  'rados.Ioctx': 'IoCtx',
  'rados.WriteOp': 'WriteOp',
  'rados.ReadOp': 'ReadOp',
  'rados.Watch': 'WatchHandle',
  'rbd.RBD': 'RBD',
  'rbd.Image': 'Image',
};

/** Where our name is not the camelCase of theirs (with any aio_ prefix dropped: every call of ours returns a promise). */
export const RENAMED: Record<string, string> = {
  'rados.Ioctx.remove_object': 'remove',
  'rados.Ioctx.aio_remove': 'remove',
  'rados.Ioctx.get_xattrs': 'getXattrs',
  'rados.Ioctx.operate_write_op': 'operateWriteOp',
  'rados.Ioctx.operate_read_op': 'operateReadOp',
  'rados.Ioctx.operate_aio_write_op': 'operateWriteOp',
  'rados.Ioctx.operate_aio_read_op': 'operateReadOp',
  'rados.Ioctx.list_objects': 'listObjects',
  'rados.Ioctx.set_omap': 'setOmap',
  'rados.Ioctx.remove_omap_keys': 'removeOmapKeys',
  'rados.Ioctx.remove_omap_range2': 'removeOmapRange',
  'rados.Ioctx.clear_omap': 'clearOmap',
  'rados.Ioctx.get_omap_vals': 'getOmapVals',
  'rados.Ioctx.get_omap_keys': 'getOmapKeys',
  'rados.Ioctx.get_omap_vals_by_keys': 'getOmapValsByKeys',
  'rados.Ioctx.list_snaps': 'listSnaps',
  'rados.Ioctx.create_snap': 'createSnap',
  'rados.Ioctx.remove_snap': 'removeSnap',
  'rados.Ioctx.lookup_snap': 'lookupSnap',
  'rados.Ioctx.snap_rollback': 'rollback',
  'rados.Ioctx.create_self_managed_snap': 'createSelfManagedSnap',
  'rados.Ioctx.remove_self_managed_snap': 'removeSelfManagedSnap',
  'rados.Ioctx.rollback_self_managed_snap': 'rollbackSelfManagedSnap',
  'rados.Ioctx.set_namespace': 'setNamespace',
  'rados.Ioctx.get_namespace': 'getNamespace',
  'rados.Ioctx.set_locator_key': 'setLocatorKey',
  'rados.Ioctx.lock_exclusive': 'lockExclusive',
  'rados.Ioctx.lock_shared': 'lockShared',
  'rados.Ioctx.list_lockers': 'listLockers',
  'rados.Ioctx.break_lock': 'breakLock',
  'rados.Ioctx.execute': 'exec',
  'rados.Ioctx.aio_execute': 'exec',
  'rados.Rados.get_fsid': 'fsid',
  'rados.Rados.get_instance_id': 'instanceId',
  'rados.Rados.list_pools': 'listPools',
  'rados.Rados.pool_lookup': 'poolLookup',
  'rados.Rados.pool_exists': 'poolExists',
  'rados.Rados.open_ioctx': 'openIoCtx',
  'rados.Rados.shutdown': 'close',
  'rados.Rados.wait_for_latest_osdmap': 'waitForLatestOsdMap',
  'rados.WriteOp.writesame': 'writeSame',
  'rados.Ioctx.get_pool_id': 'poolId',
  'rados.Ioctx.get_pool_name': 'poolName',
  'rados.Ioctx.trunc': 'truncate',
  'rados.Ioctx.writesame': 'writeSame',
  'rados.Ioctx.aio_writesame': 'writeSame',
  'rados.Ioctx.set_read': 'setReadSnap',
  'rados.Ioctx.set_self_managed_snap_write': 'setSelfManagedSnapWriteCtx',
  'rbd.Image.stat': 'info',
  'rbd.Image.get_name': 'name',
  'rbd.Image.get_parent_image_spec': 'parentInfo',
  'rbd.Image.parent_info': 'parentInfo',
  'rados.Watch.close': 'close',
  'rados.Watch.get_id': 'cookie',
  'rbd.Image.list_snaps': 'listSnaps',
  'rbd.Image.list_children': 'listChildren',
  'rbd.Image.set_snap': 'setSnap',
};

/** A note for rows whose answer is not a member of ours. */
export const NOTES: Record<string, string> = {
  'rados.Completion': 'every call returns a promise',
  'rados.Object': 'not provided: use the IoCtx calls',
  'rbd.Group': 'groups are out of scope (see above)',
};

export interface CoverageRow {
  /** `rados.Ioctx.write_full` */
  python: string;
  /** `IoCtx.writeFull`, or undefined when none. */
  ours: string | undefined;
  note: string;
}

/** The binding's methods, by class, as the fixture holds them. */
export function bindingMethods(): Record<string, string[]> {
  return (JSON.parse(readFileSync(join(fixturesRoot, 'pybind', 'methods.json'), 'utf8')) as { classes: Record<string, string[]> }).classes;
}

/** Where each class of ours is declared in the build (dist/), for its public members. */
const DECLARED_IN: Record<string, string> = {
  Rados: 'src/rados.d.ts',
  IoCtx: 'src/ioctx.d.ts',
  WriteOp: 'protocol/osd/compound-op.d.ts',
  ReadOp: 'protocol/osd/compound-op.d.ts',
  WatchHandle: 'src/osd/watch-notify.d.ts',
  RBD: 'src/rbd/rbd.d.ts',
  Image: 'src/rbd/image.d.ts',
  CompoundOp: 'protocol/osd/compound-op.d.ts',
};

/** The public member names (methods, fields, accessors, statics) the build declares for a class or interface of ours, with its bases'. */
export function ourMembers(cls: string): Set<string> {
  const names = new Set<string>();
  const file = DECLARED_IN[cls];
  if (!file) return names;
  const path = join(distRoot, file);
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if ((ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name?.text === cls) {
      for (const m of node.members) {
        const hidden = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword);
        if (!hidden && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) names.add(m.name.text);
      }
      for (const h of node.heritageClauses ?? []) for (const t of h.types) if (ts.isIdentifier(t.expression)) for (const n of ourMembers(t.expression.text)) names.add(n);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** Python's name as ours would be: aio_ dropped, snake_case to camelCase. */
export function camelName(pyClass: string, method: string): string {
  return RENAMED[`${pyClass}.${method}`] ?? method.replace(/^aio_/, '').replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

/** The table as it is now: each binding method beside ours, if we have it. */
export function coverageRows(): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const [pyClass, methods] of Object.entries(bindingMethods())) {
    const cls = OUR_CLASS[pyClass];
    const members = cls ? ourMembers(cls) : new Set<string>();
    for (const m of methods) {
      const name = camelName(pyClass, m);
      const have = cls !== undefined && members.has(name);
      const note = NOTES[pyClass] ?? (have && m.startsWith('aio_') ? 'a promise' : '');
      rows.push({ python: `${pyClass}.${m}`, ours: have ? `${cls}.${name}` : undefined, note });
    }
  }
  return rows;
}

export const START = '<!-- binding-coverage:start -->';
export const END = '<!-- binding-coverage:end -->';

export function renderTable(rows: CoverageRow[]): string {
  const lines = ['| Python | rados-ts | note |', '|---|---|---|'];
  for (const r of rows) lines.push(`| \`${r.python}\` | ${r.ours ? `\`${r.ours}\`` : '—'} | ${r.note} |`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = coverageRows();
  const have = rows.filter((r) => r.ours).length;
  console.log(`${have} of ${rows.length} have a counterpart\n${START}\n${renderTable(rows)}\n${END}`);
}

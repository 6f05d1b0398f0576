#!/usr/bin/python3
# Runs a list of librbd/librados calls through Ceph's own python3-rbd/python3-rados bindings and
# prints, per call, what it returned or the errno it failed with, so that a test can make the
# same calls through us and expect the same answers (pybind-semantics.test.ts).
# Usage: pybind-oracle.py <ceph.conf> <keyring> <pool>  (calls as a JSON list on stdin;
# prints a JSON list of {"ok": value} or {"errno": n, "error": class name})
import errno
import json
import sys
import threading

import rados
import rbd


def errno_of(e):
    # The binding raises some errors without an errno: KeyError for librbd's -ENOENT from
    # metadata_remove/metadata_get, InvalidArgument from its own "image is closed" check.
    if isinstance(e, KeyError):
        return errno.ENOENT
    n = getattr(e, 'errno', None)
    if n is None and isinstance(e, rbd.InvalidArgument):
        return errno.EINVAL
    return abs(n) if n is not None else None


def main():
    conf, keyring, pool = sys.argv[1:4]
    calls = json.load(sys.stdin)
    # Clones are v2 (attached to the snapshot, which may then go to the trash) whatever the
    # cluster's min compat client, as the tests' own clones are.
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring, 'rbd_default_clone_format': '2'})
    cluster.connect()
    ioctx = cluster.open_ioctx(pool)
    images = {}
    out = []

    def img(c):
        return images[c.get('handle', 'default')]

    def run(c):
        kind = c['op']
        if kind == 'create':
            rbd.RBD().create(ioctx, c['name'], c['size'], order=c.get('order'), old_format=False, features=c.get('features'))
            return None
        if kind == 'clone':
            rbd.RBD().clone(ioctx, c['parent'], c['snap'], ioctx, c['name'], features=c.get('features'))
            return None
        if kind == 'open':
            images[c.get('handle', 'default')] = rbd.Image(ioctx, c['name'])
            return None
        if kind == 'close':
            img(c).close()
            return None
        if kind == 'stat_order':
            return img(c).stat()['order']
        if kind == 'size':
            return img(c).size()
        if kind == 'read':
            return len(img(c).read(c['offset'], c['length']))
        if kind == 'write':
            return img(c).write(b'\xab' * c['length'], c['offset'])
        if kind == 'resize':
            return img(c).resize(c['size'])
        if kind == 'flatten':
            return img(c).flatten()
        if kind == 'parent':
            try:
                return img(c).parent_info()[1]
            except rbd.ImageNotFound:
                return None
        if kind == 'create_snap':
            return img(c).create_snap(c['name'])
        if kind == 'remove_snap':
            return img(c).remove_snap(c['name'])
        if kind == 'protect_snap':
            return img(c).protect_snap(c['name'])
        if kind == 'unprotect_snap':
            return img(c).unprotect_snap(c['name'])
        if kind == 'set_snap':
            return img(c).set_snap(c['name'])
        if kind == 'rollback':
            return img(c).rollback_to_snap(c['name'])
        if kind == 'list_snaps':
            return [s['name'] for s in img(c).list_snaps()]
        if kind == 'metadata_set':
            return img(c).metadata_set(c['key'], c['value'])
        if kind == 'metadata_remove':
            return img(c).metadata_remove(c['key'])
        if kind == 'write_op_create_twice':
            # The same WriteOp (an exclusive create and a write) operated twice.
            results = []
            with rados.WriteOpCtx() as op:
                op.new(rados.LIBRADOS_CREATE_EXCLUSIVE)
                op.write_full(b'abc')
                for _ in range(2):
                    results.append(outcome(lambda: ioctx.operate_write_op(op, c['oid'])))
            return results
        if kind == 'read_op_cmpext_twice':
            # The same ReadOp (a failing compare) operated twice.
            results = []
            with rados.ReadOpCtx() as op:
                op.cmpext(c['cmp'].encode(), 0)
                for _ in range(2):
                    results.append(outcome(lambda: ioctx.operate_read_op(op, c['oid'])))
            return results
        if kind == 'watch_deleted':
            # A watch on an object that is then deleted: what its error callback hears.
            ioctx.write_full(c['oid'], b'x')
            heard = threading.Event()
            errs = []

            def on_error(*args):
                errs.append(args[-1])
                heard.set()

            w = ioctx.watch(c['oid'], lambda *a: None, on_error)
            ioctx.remove_object(c['oid'])
            heard.wait(60)
            try:
                w.close()
            except rados.Error:
                pass
            return abs(errs[0]) if errs else None
        if kind == 'blocklist_add':
            return cluster.blocklist_add(c['addr'], c['expire'])
        raise ValueError('unknown op ' + kind)

    def outcome(f):
        try:
            return {'ok': f()}
        except Exception as e:  # noqa: BLE001 -- every failure is an answer to report
            n = errno_of(e)
            if n is None:
                raise
            return {'errno': n, 'error': type(e).__name__}

    try:
        for c in calls:
            out.append(outcome(lambda: run(c)))
    finally:
        for i in images.values():
            try:
                i.close()
            except rbd.Error:
                pass
        ioctx.close()
        cluster.shutdown()
    print(json.dumps(out))


main()

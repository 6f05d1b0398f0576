#!/usr/bin/python3
# Runs failing calls through Ceph's own Python bindings (python3-rados, python3-rbd) and prints,
# per case, the exception class the binding raised and its errno, as JSON: the oracle for the
# error classes of test/integration/error-classes.test.ts, which makes the same calls through us.
# Usage: error-classes.py <ceph.conf> <keyring> <pool> <prefix>
import json
import sys

import rados
import rbd


def main():
    conf, keyring, pool, prefix = sys.argv[1:5]
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    out = {}

    def case(name, fn):
        try:
            fn()
            out[name] = {'raised': None}
        except (rados.Error, rbd.Error) as e:
            out[name] = {'raised': type(e).__name__, 'module': type(e).__module__, 'errno': getattr(e, 'errno', None)}

    try:
        io = cluster.open_ioctx(pool)
        obj = prefix + '-obj'
        io.write_full(obj, b'x')
        img = prefix + '-img'
        rbd.RBD().create(io, img, 1 << 22)
        with rbd.Image(io, img) as image:
            image.create_snap('s')
            image.protect_snap('s')
        case('stat-missing', lambda: io.stat(prefix + '-missing'))
        case('remove-missing', lambda: io.remove_object(prefix + '-missing'))
        case('create-exclusive-existing', lambda: _create_exclusive(io, obj))
        case('getxattr-missing', lambda: io.get_xattr(obj, 'nope'))
        case('open-ioctx-missing-pool', lambda: cluster.open_ioctx(prefix + '-no-pool'))
        case('image-open-missing', lambda: rbd.Image(io, prefix + '-missing'))
        case('image-create-existing', lambda: rbd.RBD().create(io, img, 1 << 22))
        case('image-create-order-65', lambda: rbd.RBD().create(io, prefix + '-order', 1 << 22, order=65))
        case('image-remove-with-snapshots', lambda: rbd.RBD().remove(io, img))
        case('image-unprotect-missing-snap', lambda: _with_image(io, img, lambda i: i.unprotect_snap('nope')))
        case('image-remove-protected-snap', lambda: _with_image(io, img, lambda i: i.remove_snap('s')))
        case('image-write-at-snapshot', lambda: _with_image(io, img, lambda i: (i.set_snap('s'), i.write(b'x', 0))))
    finally:
        cluster.shutdown()
    print(json.dumps(out))


def _create_exclusive(io, obj):
    with rados.WriteOpCtx() as op:
        op.new(rados.LIBRADOS_CREATE_EXCLUSIVE)
        io.operate_write_op(op, obj)


def _with_image(io, name, fn):
    with rbd.Image(io, name) as image:
        fn(image)


main()

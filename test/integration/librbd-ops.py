#!/usr/bin/python3
# Replays a list of image operations through librbd (Ceph's own python3-rbd binding, shipped
# with ceph-common), so a test can do the same operations through us and through librbd and
# compare what `rbd` reports for both images.
# Usage: librbd-ops.py <ceph.conf> <keyring> <pool> <image>  (operations as JSON on stdin)
import json
import sys

import rados
import rbd


def data(length, seed):
    # The same bytes as the test's `fill(length, seed)`.
    return bytes(((seed * 31 + i) & 0xFF) for i in range(length))


def main():
    conf, keyring, pool, name = sys.argv[1:5]
    ops = json.load(sys.stdin)
    # Discards zero partial ranges, as ours do (librbd skips them by default).
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring, 'rbd_skip_partial_discard': 'false'})
    cluster.connect()
    try:
        ioctx = cluster.open_ioctx(pool)
        with rbd.Image(ioctx, name) as img:
            for op in ops:
                kind = op['op']
                if kind == 'write':
                    img.write(data(op['length'], op['seed']), op['offset'])
                elif kind == 'discard':
                    img.discard(op['offset'], op['length'])
                elif kind == 'snap':
                    img.create_snap(op['name'])
                elif kind == 'rmsnap':
                    img.remove_snap(op['name'])
                elif kind == 'resize':
                    img.resize(op['size'])
                else:
                    raise ValueError('unknown op ' + kind)
        ioctx.close()
    finally:
        cluster.shutdown()


main()

#!/usr/bin/python3
# Holds an image's exclusive lock through librbd (Ceph's python3-rbd) as an application would:
# one write takes the lock, and the image stays open, so librbd itself answers REQUEST_LOCK
# and is the one an operation needing the lock must ask. Prints "locked <client gid>" once it
# owns the lock; closes the image when a line (or EOF) arrives on stdin.
# Usage: librbd-lock-owner.py <ceph.conf> <keyring> <pool> <image>
import sys

import rados
import rbd


def main():
    conf, keyring, pool, name = sys.argv[1:5]
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    try:
        ioctx = cluster.open_ioctx(pool)
        with rbd.Image(ioctx, name) as img:
            img.write(b'\xcd' * 4096, 0)
            print('locked', cluster.get_instance_id(), flush=True)
            sys.stdin.readline()
        ioctx.close()
    finally:
        cluster.shutdown()


main()

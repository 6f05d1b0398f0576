#!/usr/bin/python3
# Drives one open image through librbd (Ceph's python3-rbd) for the lock tests: one JSON request
# a line on stdin ({"op": "lock_exclusive", "args": [...]}), one JSON answer a line on stdout
# ({"ok": value} or {"errno": n, "error": text}). The image stays open between requests, so
# librbd keeps (and answers for) an exclusive lock it took. Prints {"ready": gid, "addr": a} first.
# Usage: librbd-locks.py <ceph.conf> <keyring> <pool> <image>
import json
import sys

import rados
import rbd


def answer(img, op, args):
    if op == 'write':
        return img.write(b'\xab' * args[1], args[0])
    if op == 'lock_get_owners':
        return list(img.lock_get_owners())
    if op == 'list_lockers':
        got = img.list_lockers()
        if got == []:
            return []
        return {'tag': got['tag'], 'exclusive': got['exclusive'], 'lockers': [list(t) for t in got['lockers']]}
    if op in ('lock_acquire', 'lock_release', 'lock_break', 'is_exclusive_lock_owner', 'lock_exclusive', 'lock_shared', 'unlock', 'break_lock'):
        return getattr(img, op)(*args)
    raise ValueError('unknown op ' + op)


def main():
    conf, keyring, pool, name = sys.argv[1:5]
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    try:
        ioctx = cluster.open_ioctx(pool)
        img = rbd.Image(ioctx, name)
        print(json.dumps({'ready': cluster.get_instance_id(), 'addr': cluster.get_addrs()}), flush=True)
        for line in sys.stdin:
            req = json.loads(line)
            try:
                out = {'ok': answer(img, req['op'], req.get('args', []))}
            except (rados.Error, rbd.Error) as e:
                out = {'errno': getattr(e, 'errno', None), 'error': str(e), 'type': type(e).__name__}
            print(json.dumps(out), flush=True)
        try:
            img.close()
        except (rados.Error, rbd.Error):
            pass  # blocklisted: the close's unlock fails, the test has seen what it wanted
        ioctx.close()
    finally:
        cluster.shutdown()


main()

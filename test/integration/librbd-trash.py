#!/usr/bin/python3
# The image trash through librbd (Ceph's python3-rbd binding, rbd.RBD().trash_*), the oracle the
# trash tests compare our RBD.trash* with: operations as JSON on stdin, one result per operation
# as JSON on stdout, {"ok": value} or {"errno": n} (the binding's exception's errno).
# Usage: librbd-trash.py <ceph.conf> <keyring> <pool>
import calendar
import json
import sys

import rados
import rbd


def seconds(dt):
    # The binding's datetimes are UTC: naive (utcfromtimestamp) in older releases, aware in newer.
    return int(dt.timestamp()) if dt.tzinfo is not None else calendar.timegm(dt.timetuple())


def info(i):
    return {'id': i['id'], 'name': i['name'], 'source': i['source'],
            'deletion_time': seconds(i['deletion_time']), 'deferment_end_time': seconds(i['deferment_end_time'])}


def run(r, ioctx, op):
    kind = op['op']
    if kind == 'move':
        return r.trash_move(ioctx, op['name'], op.get('delay', 0))
    if kind == 'get':
        return info(r.trash_get(ioctx, op['id']))
    if kind == 'list':
        return [info(i) for i in r.trash_list(ioctx)]
    if kind == 'remove':
        return r.trash_remove(ioctx, op['id'], op.get('force', False))
    if kind == 'restore':
        return r.trash_restore(ioctx, op['id'], op['name'])
    if kind == 'purge':
        return r.trash_purge(ioctx, None, op.get('threshold', -1))
    raise ValueError('unknown op ' + kind)


def main():
    conf, keyring, pool = sys.argv[1:4]
    ops = json.load(sys.stdin)
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    out = []
    try:
        ioctx = cluster.open_ioctx(pool)
        r = rbd.RBD()
        for op in ops:
            try:
                out.append({'ok': run(r, ioctx, op)})
            except (rbd.Error, rados.Error) as e:
                out.append({'errno': getattr(e, 'errno', None)})
        ioctx.close()
    finally:
        cluster.shutdown()
    print(json.dumps(out))


main()

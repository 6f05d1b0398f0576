#!/usr/bin/python3
# Makes `rbd.RBD()` calls through librbd (Ceph's python3-rbd) and reports each one's result or
# the errno of the exception it raised, so a test can compare ours with librbd's call for call.
# Usage: librbd-calls.py <ceph.conf> <keyring> <pool>  (calls as JSON on stdin:
# [{"ns": "<rados namespace>", "call": "<RBD method>", "args": [...]}, ...]; prints a JSON list of
# {"value": ...} or {"errno": n, "error": "<exception class>"}). An argument {"ioctx": "<ns>"} is
# an ioctx of the same pool in that namespace (for clone's parent and child). A call's "conf"
# sets librbd options for it (rbd_default_clone_format: python's clone has no format argument).
import json
import sys

import rados
import rbd


def main():
    conf, keyring, pool = sys.argv[1:4]
    calls = json.load(sys.stdin)
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    ioctxs = []
    defaults = {}

    def ioctx(ns):
        io = cluster.open_ioctx(pool)
        io.set_namespace(ns)
        ioctxs.append(io)
        return io

    out = []
    try:
        for c in calls:
            for k, v in c.get('conf', {}).items():
                defaults.setdefault(k, cluster.conf_get(k))
                cluster.conf_set(k, v)
            args = [ioctx(a['ioctx']) if isinstance(a, dict) else a for a in c['args']]
            try:
                value = getattr(rbd.RBD(), c['call'])(ioctx(c['ns']), *args)
                out.append({'value': value})
            except rbd.Error as e:
                out.append({'errno': e.errno, 'error': type(e).__name__})
            for k, v in defaults.items():
                cluster.conf_set(k, v)
    finally:
        for io in ioctxs:
            io.close()
        cluster.shutdown()
    print(json.dumps(out))


main()

#!/usr/bin/python3
# Runs a few lines through Ceph's own Python bindings (python3-rados/python3-rbd: librados'
# and librbd's semantics) for a test to compare with ours. Usage:
#   pybind-eval.py <ceph.conf> <keyring> <pool>   (the Python lines on stdin)
# The lines see `cluster` (connected rados.Rados), `io` (its Ioctx on <pool>), `rados`, `rbd`,
# and set `result` to anything JSON can hold (bytes are decoded as latin-1). Prints
# {"result": …} or, when the lines raise a binding error, {"raised": class name, "errno": n}
# (KeyError, which rados.pyx raises for some ENOENT returns, with errno null).
import json
import sys

import rados
import rbd


def plain(v):
    if isinstance(v, bytes):
        return v.decode('latin-1')
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    return v


def main():
    conf, keyring, pool = sys.argv[1:4]
    code = sys.stdin.read()
    cluster = rados.Rados(conffile=conf, conf={'keyring': keyring})
    cluster.connect()
    try:
        io = cluster.open_ioctx(pool)
        scope = {'cluster': cluster, 'io': io, 'rados': rados, 'rbd': rbd, 'result': None}
        try:
            exec(code, scope)
            out = {'result': plain(scope['result'])}
        except (rados.Error, rbd.Error) as e:
            out = {'raised': type(e).__name__, 'errno': getattr(e, 'errno', None)}
        except KeyError as e:
            # rados.pyx turns some ENOENT returns into KeyError (application_metadata_get).
            out = {'raised': 'KeyError', 'errno': None, 'message': str(e)}
        # An image left open would hang the shutdown below: close what the lines kept.
        for v in list(scope.values()):
            if isinstance(v, rbd.Image):
                try:
                    v.close()
                except rbd.Error:
                    pass
        scope.clear()
        io.close()
    finally:
        cluster.shutdown()
    print(json.dumps(out))


main()

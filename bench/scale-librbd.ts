// The Ceph side of bench/scale.ts: the same scale cases through librbd and librados (the
// python3 `rbd` and `rados` bindings), each phase timed inside Python so process start and
// connection are left out, as they are on our side. Prints one JSON object of phase → seconds
// (plus what the checks need).
export const LIBRBD_SCALE_PY = String.raw`
import json, sys, threading, time
import rados, rbd

conf, case = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
cluster = rados.Rados(conffile=conf)
cluster.connect()
out = {}

def timed(name, f):
    s = time.monotonic()
    r = f()
    out[name] = time.monotonic() - s
    return r

def windowed(n, start, depth=16):
    # n aio requests, at most depth in flight (our side keeps 16 in flight too).
    sem = threading.Semaphore(depth)
    done = threading.Event()
    left = [n]
    lock = threading.Lock()
    errors = []
    def finished(ok):
        if not ok:
            errors.append(1)
        sem.release()
        with lock:
            left[0] -= 1
            if left[0] == 0:
                done.set()
    for i in range(n):
        sem.acquire()
        start(i, finished)
    if n > 0:
        done.wait()
    if errors:
        raise Exception('%d aio requests failed' % len(errors))

if case == 'snaps':
    pool, name, n = args[0], args[1], int(args[2])
    io = cluster.open_ioctx(pool)
    rbd.RBD().create(io, name, 64 << 20)
    img = rbd.Image(io, name)
    def create():
        for i in range(n):
            img.write(bytes([i % 251 + 1]) * 4096, i * 4096)
            img.create_snap('s%d' % i)
    timed('create', create)
    names = timed('list', lambda: [s['name'] for s in img.list_snaps()])
    at = n // 2
    def read_at():
        with rbd.Image(io, name, snapshot='s%d' % at, read_only=True) as snap:
            return snap.read(0, n * 4096)
    data = timed('open at one and read', read_at)
    ok = all(data[i * 4096] == (i % 251 + 1 if i <= at else 0) for i in range(n))
    def remove():
        for s in names:
            img.remove_snap(s)
    timed('remove all', remove)
    img.close()
    rbd.RBD().remove(io, name)
    out['count'] = len(names)
    out['ok'] = ok and len(names) == n
elif case == 'objects':
    pool, name, n, order = args[0], args[1], int(args[2]), int(args[3])
    size = 1 << order
    io = cluster.open_ioctx(pool)
    rbd.RBD().create(io, name, n * size, order=order)
    img = rbd.Image(io, name)
    block = lambda i: (i.to_bytes(4, 'little') * (size // 4))
    def write():
        windowed(n, lambda i, fin: img.aio_write(block(i), i * size, lambda c: fin(c.get_return_value() >= 0)))
        img.flush()
    timed('write', write)
    bad = []
    def read():
        def start(i, fin):
            def cb(c, data):
                if data != block(i):
                    bad.append(i)
                fin(c.get_return_value() >= 0)
            img.aio_read(i * size, size, cb)
        windowed(n, start)
    timed('read back', read)
    img.close()
    out['ok'] = not bad
    # bench/scale.ts checks this image with rbd du and rbd object-map check, then has us remove it.
elif case == 'remove':
    pool, name = args[0], args[1]
    io = cluster.open_ioctx(pool)
    timed('remove', lambda: rbd.RBD().remove(io, name))
elif case == 'list':
    pool = args[0]
    io = cluster.open_ioctx(pool)
    names = timed('list', lambda: [o.key for o in io.list_objects()])
    out['count'] = len(names)
elif case == 'sparse':
    pool, name, size = args[0], args[1], int(args[2])
    io = cluster.open_ioctx(pool)
    r = rbd.RBD()
    timed('create', lambda: r.create(io, name, size))
    img = rbd.Image(io, name)
    tail = b'\xab' * 4096
    timed('write last 4 KiB', lambda: img.write(tail, size - 4096))
    def snap_clone():
        img.create_snap('base')
        img.protect_snap('base')
        r.clone(io, name, 'base', io, name + '-clone')
    timed('snap + clone', snap_clone)
    with rbd.Image(io, name + '-clone') as clone:
        out['ids'] = img.id() + ',' + clone.id()
        timed('flatten', clone.flatten)
        out['ok'] = clone.read(size - 4096, 4096) == tail
    def remove():
        r.remove(io, name + '-clone')
        img.unprotect_snap('base')
        img.remove_snap('base')
        img.close()
        r.remove(io, name)
    timed('remove both', remove)
print(json.dumps(out))
`;

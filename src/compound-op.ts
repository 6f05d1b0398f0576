// Compound operations (librados ObjectWriteOperation / ObjectReadOperation; Python WriteOp /
// ReadOp): several steps applied atomically to one object by its primary OSD, in order.
import { Reader } from '../protocol/encoding/reader.ts';
import { Writer } from '../protocol/encoding/writer.ts';
import { utf8Encode } from '../protocol/encoding/utf8.ts';
import { OsdOpCode, OsdOpFlag } from '../protocol/messages/osd-op-codes.ts';
import { extentUnion, xattrUnion } from '../protocol/messages/osd-op-struct.ts';
import type { OpStep } from './osd/objecter.ts';

/** CEPH_OSD_OP_ASSERT_VER (rados.h). */
const ASSERT_VER = 0x1208;
const EMPTY_UNION = new Uint8Array(28);

type Bytes = Uint8Array | string;
const bytes = (b: Bytes): Uint8Array => (typeof b === 'string' ? utf8Encode(b) : b);

abstract class CompoundOp {
  readonly steps: OpStep[] = [];
  protected push(step: OpStep): this {
    this.steps.push(step);
    return this;
  }
  /** Fails the whole operation with ENOENT unless the object exists (librados uses STAT). */
  assertExists(): this {
    return this.push({ op: OsdOpCode.STAT, union: EMPTY_UNION });
  }
  /** Fails with ERANGE/EOVERFLOW unless the object's user version equals `version`. */
  assertVersion(version: bigint): this {
    const u = new Uint8Array(28);
    new DataView(u.buffer).setBigUint64(8, version, true);
    return this.push({ op: ASSERT_VER, union: u });
  }
  /** Lets the previous step fail without failing the operation (CEPH_OSD_OP_FLAG_FAILOK). */
  failOk(): this {
    const last = this.steps.at(-1);
    if (last) last.flags = (last.flags ?? 0) | OsdOpFlag.FAILOK;
    return this;
  }
}

export class WriteOp extends CompoundOp {
  create(exclusive = false): this {
    return this.push({ op: OsdOpCode.CREATE, flags: exclusive ? OsdOpFlag.EXCL : 0, union: EMPTY_UNION });
  }
  writeFull(data: Bytes): this {
    const d = bytes(data);
    return this.push({ op: OsdOpCode.WRITEFULL, union: extentUnion(0, d.length), indata: d });
  }
  write(data: Bytes, offset = 0): this {
    const d = bytes(data);
    return this.push({ op: OsdOpCode.WRITE, union: extentUnion(offset, d.length), indata: d });
  }
  append(data: Bytes): this {
    const d = bytes(data);
    return this.push({ op: OsdOpCode.APPEND, union: extentUnion(0, d.length), indata: d });
  }
  truncate(size: number): this {
    return this.push({ op: OsdOpCode.TRUNCATE, union: extentUnion(size, 0) });
  }
  remove(): this {
    return this.push({ op: OsdOpCode.DELETE, union: EMPTY_UNION });
  }
  setXattr(name: string, value: Bytes): this {
    const n = utf8Encode(name);
    const v = bytes(value);
    const indata = new Uint8Array(n.length + v.length);
    indata.set(n);
    indata.set(v, n.length);
    return this.push({ op: OsdOpCode.SETXATTR, union: xattrUnion(n.length, v.length), indata });
  }
  setOmap(entries: Record<string, Bytes>): this {
    const list = Object.entries(entries).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const w = new Writer(64);
    w.u32(list.length);
    for (const [k, v] of list) w.string(k).blob(bytes(v));
    return this.push({ op: OsdOpCode.OMAPSETVALS, union: EMPTY_UNION, indata: w.finish() });
  }
  removeOmapKeys(keys: string[]): this {
    const w = new Writer(64);
    w.array([...keys].sort(), (w, k) => w.string(k));
    return this.push({ op: OsdOpCode.OMAPRMKEYS, union: EMPTY_UNION, indata: w.finish() });
  }
}

/** What each step of a ReadOp returned, decoded. */
export type ReadStepValue = Uint8Array | Map<string, Uint8Array> | { size: number } | undefined;

export class ReadOp extends CompoundOp {
  readonly decoders: Array<(out: Uint8Array) => ReadStepValue> = [];
  protected override push(step: OpStep, decode: (out: Uint8Array) => ReadStepValue = () => undefined): this {
    this.decoders.push(decode);
    return super.push(step);
  }
  override assertExists(): this {
    return this.push({ op: OsdOpCode.STAT, union: EMPTY_UNION });
  }
  read(offset: number, length: number): this {
    return this.push({ op: OsdOpCode.READ, union: extentUnion(offset, length) }, (o) => o.slice());
  }
  stat(): this {
    return this.push({ op: OsdOpCode.STAT, union: EMPTY_UNION }, (o) => ({ size: new Reader(o).u64n('stat.size') }));
  }
  getXattr(name: string): this {
    const n = utf8Encode(name);
    return this.push({ op: OsdOpCode.GETXATTR, union: xattrUnion(n.length, 0), indata: n }, (o) => o.slice());
  }
  getOmapVals(startAfter = '', max = 512, prefix = ''): this {
    const w = new Writer(64).string(startAfter).u64(max).string(prefix);
    return this.push({ op: OsdOpCode.OMAPGETVALS, union: EMPTY_UNION, indata: w.finish() }, (o) =>
      new Reader(o).map('omap', (r) => r.string('key'), (r) => r.blob('value').slice(), 8),
    );
  }
}

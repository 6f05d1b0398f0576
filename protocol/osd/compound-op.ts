// Compound operations (librados ObjectWriteOperation / ObjectReadOperation; Python WriteOp /
// ReadOp): several steps applied atomically to one object by its primary OSD, in order; the
// first step that fails (unless marked failOk) fails the whole operation and nothing is applied.
import type { ClsMethod } from '../cls/cls-method.ts';
import { OsdOpFlag } from '../messages/osd-op-codes.ts';
import * as step from './op-steps.ts';
import type { Bytes, CmpOperator, ObjectStat, OmapCmpOperator, OmapEntries, OpStep } from './op-steps.ts';

abstract class CompoundOp {
  /** @internal The OSD op steps, in order; IoCtx.operateWriteOp/operateReadOp send them. */
  readonly steps: OpStep[] = [];
  protected push(s: OpStep): this {
    this.steps.push(s);
    return this;
  }
  /**
   * @internal The steps, leaving the op empty: librados moves an operation's ops into the
   * Objecter when it is operated (Objecter::prepare_mutate_op/prepare_read_op take them), so a
   * second operate of the same op sends nothing (IoCtxImpl::operate returns 0 for an empty op).
   */
  takeSteps(): OpStep[] {
    return this.steps.splice(0);
  }
  /** Fails the whole operation with ENOENT unless the object exists (librados uses STAT). */
  assertExists(): this {
    return this.push(step.statStep());
  }
  /** Fails with ERANGE (older) or EOVERFLOW (newer) unless the object's user version is `version`. */
  assertVersion(version: bigint): this {
    return this.push(step.assertVersionStep(version));
  }
  /** Fails with a mismatch (see IoCtx.cmpext) unless the object's bytes at `offset` equal `data`. */
  cmpext(data: Bytes, offset: number): this {
    return this.push(step.cmpextStep(data, offset));
  }
  /** Fails with ECANCELED unless the xattr compares as asked (bigint: as u64). */
  cmpXattr(name: string, op: CmpOperator, value: Bytes | bigint): this {
    return this.push(step.cmpXattrStep(name, op, value));
  }
  /** Fails with ECANCELED unless every key's value compares as asked (Python omap_cmp). */
  omapCmp(assertions: Record<string, [Bytes, OmapCmpOperator]>): this {
    return this.push(step.omapCmpStep(assertions));
  }
  /** Lets the previous step fail without failing the operation (CEPH_OSD_OP_FLAG_FAILOK). */
  failOk(): this {
    const last = this.steps.at(-1);
    if (last) last.flags = (last.flags ?? 0) | OsdOpFlag.FAILOK;
    return this;
  }
}

/** A compound write (Python `WriteOp`): add steps, then run it with `IoCtx.operateWriteOp`. */
export class WriteOp extends CompoundOp {
  /** A class call that may write (cls methods decide; the op goes out as a write). */
  execute(cls: string, method: string, input: Bytes = new Uint8Array(0)): this {
    return this.push(step.execStep(cls, method, input));
  }
  /** A typed class call (a protocol/cls descriptor); its output is not kept. */
  call<In>(method: ClsMethod<In, unknown>, input: In): this {
    return this.execute(method.cls, method.method, method.encode(input));
  }
  /** Creates the object (ObjectWriteOperation::create); `exclusive`: fail with EEXIST if it exists. */
  create(exclusive = false): this {
    return this.push(step.createStep(exclusive));
  }
  /** Replaces the whole object with `data` (write_full). */
  writeFull(data: Bytes): this {
    return this.push(step.writeFullStep(data));
  }
  /** Writes `data` at byte `offset`, growing the object if needed (write). */
  write(data: Bytes, offset = 0): this {
    return this.push(step.writeStep(data, offset));
  }
  /** Writes `data` at the object's end (append). */
  append(data: Bytes): this {
    return this.push(step.appendStep(data));
  }
  /** Writes `data` repeated over `length` bytes from `offset`; `length` is a multiple of data's (writesame, Python `write_same`). */
  writeSame(data: Bytes, offset: number, length: number): this {
    return this.push(step.writeSameStep(data, offset, length));
  }
  /** Sets the object's size to `size` bytes, cutting or zero-extending it (truncate). */
  truncate(size: number): this {
    return this.push(step.truncateStep(size));
  }
  /** Zeroes `length` bytes from `offset`; the OSD may punch a hole (zero). */
  zero(offset: number, length: number): this {
    return this.push(step.zeroStep(offset, length));
  }
  /** Deletes the object (ObjectWriteOperation::remove). */
  remove(): this {
    return this.push(step.removeStep());
  }
  /** Sets an extended attribute (setxattr). */
  setXattr(name: string, value: Bytes): this {
    return this.push(step.setXattrStep(name, value));
  }
  /** Removes an extended attribute (rmxattr). */
  rmXattr(name: string): this {
    return this.push(step.rmXattrStep(name));
  }
  /** Sets omap keys to values (omap_set, Python `set_omap`). */
  setOmap(entries: OmapEntries): this {
    return this.push(step.setOmapStep(entries));
  }
  /** Removes these omap keys; absent ones are ignored (omap_rm_keys, Python `remove_omap_keys`). */
  removeOmapKeys(keys: string[]): this {
    return this.push(step.removeOmapKeysStep(keys));
  }
  /** Removes the keys in [start, end). */
  removeOmapRange(start: string, end: string): this {
    return this.push(step.removeOmapRangeStep(start, end));
  }
  /** Removes every omap key and the omap header (omap_clear, Python `clear_omap`). */
  clearOmap(): this {
    return this.push(step.clearOmapStep());
  }
  /** Sets the omap header, a blob beside the keys (omap_set_header). */
  setOmapHeader(header: Bytes): this {
    return this.push(step.setOmapHeaderStep(header));
  }
}

/** What each step of a ReadOp returned, decoded (undefined for steps with no output). */
export type ReadStepValue =
  | Uint8Array
  | Map<string, Uint8Array>
  | ObjectStat
  | {
      /** getOmapKeys: the keys, in order. */
      keys: string[];
      /** Whether the OSD holds further keys past `max`. */
      more: boolean;
    }
  | {
      /** getOmapVals: key → value, in key order. */
      entries: Map<string, Uint8Array>;
      /** Whether the OSD holds further entries past `max`. */
      more: boolean;
    }
  | {
      /** sparseRead: the allocated extents as [offset, length] pairs, in bytes. */
      extents: Array<[number, number]>;
      /** The extents' bytes, concatenated in order. */
      data: Uint8Array;
    }
  | undefined;

const copy = (o: Uint8Array): Uint8Array => o.slice();

/** A compound read (Python `ReadOp`): add steps, then run it with `IoCtx.operateReadOp`; each step's value comes back in order. */
export class ReadOp extends CompoundOp {
  /** @internal Per step, how IoCtx.operateReadOp decodes its output. */
  readonly decoders: Array<(out: Uint8Array) => ReadStepValue> = [];
  protected override push(s: OpStep, decode: (out: Uint8Array) => ReadStepValue = () => undefined): this {
    this.decoders.push(decode);
    return super.push(s);
  }
  /** @internal The decoders of the steps `takeSteps` takes, leaving none (see takeSteps). */
  takeDecoders(): Array<(out: Uint8Array) => ReadStepValue> {
    return this.decoders.splice(0);
  }
  /** Reads up to `length` bytes from `offset`; value: the bytes (ObjectReadOperation::read). */
  read(offset: number, length: number): this {
    return this.push(step.readStep(offset, length), copy);
  }
  /** Reads the allocated extents of a range; value: `{ extents, data }`, holes omitted (sparse_read). */
  sparseRead(offset: number, length: number): this {
    return this.push(step.sparseReadStep(offset, length), step.decodeSparseRead);
  }
  /** Value: the object's size and mtime (stat); fails with ENOENT if absent. */
  stat(): this {
    return this.push(step.statStep(), step.decodeStat);
  }
  /** Value: one extended attribute's bytes (getxattr); fails with ENODATA if unset. */
  getXattr(name: string): this {
    return this.push(step.getXattrStep(name), copy);
  }
  /** Value: every extended attribute, name → bytes (getxattrs). */
  getXattrs(): this {
    return this.push(step.getXattrsStep(), (o) => step.decodeBlobMap(o, 'xattrs'));
  }
  /** Value: `{ entries, more }`, up to `max` omap entries after `startAfter` whose keys start with `prefix` (omap_get_vals2, Python `get_omap_vals`). */
  getOmapVals(startAfter = '', max = 512, prefix = ''): this {
    return this.push(step.getOmapValsStep(startAfter, max, prefix), step.decodeOmapVals);
  }
  /** Value: `{ keys, more }`, up to `max` omap keys after `startAfter` (omap_get_keys2, Python `get_omap_keys`). */
  getOmapKeys(startAfter = '', max = 512): this {
    return this.push(step.getOmapKeysStep(startAfter, max), step.decodeOmapKeys);
  }
  /** Value: the values of these omap keys; absent keys are left out (omap_get_vals_by_keys). */
  getOmapValsByKeys(keys: string[]): this {
    return this.push(step.getOmapValsByKeysStep(keys), (o) => step.decodeBlobMap(o, 'omap'));
  }
  /** Value: the omap header's bytes (omap_get_header). */
  getOmapHeader(): this {
    return this.push(step.getOmapHeaderStep(), copy);
  }
  /** A read-only class call; its output is the step's value. */
  execute(cls: string, method: string, input: Bytes = new Uint8Array(0)): this {
    return this.push(step.execStep(cls, method, input), copy);
  }
  /** A typed read-only class call; the step's value is its raw output, for `method.decode`. */
  call<In>(method: ClsMethod<In, unknown, 'read'>, input: In): this {
    return this.execute(method.cls, method.method, method.encode(input));
  }
}

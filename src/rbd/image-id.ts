// An image's id from its name: rbd_id.<name> holds it, read through cls_rbd get_id (librbd
// image/OpenRequest.cc send_v2_detect_header, api/Image.cc rename). Opening and renaming share it.
import * as cls from '../../protocol/cls/cls-rbd.ts';
import { Errno, hasErrno, RadosError } from '../../protocol/errors.ts';
import type { CallOptions } from '../abort.ts';
import { callCls } from '../cls-call.ts';
import type { IoCtx } from '../ioctx.ts';
import { idObjectName } from './object-names.ts';

/** ENOENT (naming the image and pool) when there is no such image. */
export async function imageIdByName(io: IoCtx, name: string, options?: CallOptions): Promise<string> {
  try {
    return await callCls(io, idObjectName(name), cls.getId, undefined, options);
  } catch (e) {
    if (hasErrno(e, Errno.ENOENT)) throw new RadosError(`image ${name} does not exist in pool ${io.poolName}`, Errno.ENOENT, { cause: e });
    throw e;
  }
}

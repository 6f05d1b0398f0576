// Image offsets → RADOS objects (src/osdc/Striper.cc file_to_extents / get_num_objects): blocks
// of `stripeUnit` bytes go round-robin over `stripeCount` objects; an object holds
// objectSize / stripeUnit blocks before the next set of objects starts.
/** An image's striping: how its bytes map to RADOS objects. */
export interface Layout {
  /** Bytes per data object (2^order). */
  objectSize: number;
  /** Bytes written to one object before moving to the next of the stripe. */
  stripeUnit: number;
  /** Objects a stripe spans. */
  stripeCount: number;
}

/** One piece of an image extent: `length` bytes at `offset` in object `objectNo`, from `bufferOffset` of the caller's buffer. */
export interface ObjectExtent {
  objectNo: number;
  offset: number;
  length: number;
  bufferOffset: number;
}

/** The object pieces of [offset, offset + length), in image order (adjacent pieces of one object merged). */
export function fileToExtents(l: Layout, offset: number, length: number): ObjectExtent[] {
  const out: ObjectExtent[] = [];
  const stripesPerObject = l.objectSize / l.stripeUnit;
  let off = offset;
  let left = length;
  let at = 0;
  while (left > 0) {
    const blockNo = Math.floor(off / l.stripeUnit);
    const stripeNo = Math.floor(blockNo / l.stripeCount);
    const stripePos = blockNo % l.stripeCount;
    const objectSetNo = Math.floor(stripeNo / stripesPerObject);
    const objectNo = objectSetNo * l.stripeCount + stripePos;
    const blockStart = (stripeNo % stripesPerObject) * l.stripeUnit;
    const blockOff = off % l.stripeUnit;
    const len = Math.min(left, l.stripeUnit - blockOff);
    const objOff = blockStart + blockOff;
    const last = out.at(-1);
    if (last && last.objectNo === objectNo && last.offset + last.length === objOff && last.bufferOffset + last.length === at) last.length += len;
    else out.push({ objectNo, offset: objOff, length: len, bufferOffset: at });
    off += len;
    left -= len;
    at += len;
  }
  return out;
}

/** How many objects an image of `size` bytes spans (rbd info's "objects"). */
export function numObjects(l: Layout, size: number): number {
  const period = l.objectSize * l.stripeCount;
  const periods = Math.ceil(size / period);
  const rem = size % period;
  let remObjs = 0;
  if (rem > 0 && rem < l.stripeCount * l.stripeUnit) remObjs = l.stripeCount - Math.ceil(rem / l.stripeUnit);
  return periods * l.stripeCount - remObjs;
}

/** One stripe unit of an object and where it sits in the image. */
export interface ObjectImageRange {
  imageOffset: number;
  objectOffset: number;
  length: number;
}

/** The image ranges a whole object covers, in object order (Striper::extent_to_file over the object). */
export function objectToImageRanges(l: Layout, objectNo: number): ObjectImageRange[] {
  const perObject = l.objectSize / l.stripeUnit;
  const setNo = Math.floor(objectNo / l.stripeCount);
  const pos = objectNo % l.stripeCount;
  return Array.from({ length: perObject }, (_, b) => ({
    imageOffset: ((setNo * perObject + b) * l.stripeCount + pos) * l.stripeUnit,
    objectOffset: b * l.stripeUnit,
    length: l.stripeUnit,
  }));
}

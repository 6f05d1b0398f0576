// Every object-class method we describe, found by the names a CALL op carries ("rbd",
// "get_size"), so a trace can decode the input of any client's call we have a codec for. The
// list is gathered from the class modules' exports, so a method added there is found here.
import type { ClsMethod } from './cls-method.ts';
import * as lock from './cls-lock.ts';
import * as rbd from './cls-rbd.ts';
import * as objectMap from './cls-rbd-object-map.ts';
import * as rbdNamespace from './cls-rbd-namespace.ts';
import * as trash from './cls-rbd-trash.ts';

/** A method of any input and output (what a lookup by name can promise). */
export type AnyClsMethod = ClsMethod<unknown, unknown>;

const isMethod = (v: unknown): v is AnyClsMethod => typeof v === 'object' && v !== null && 'cls' in v && 'method' in v && 'decodeInput' in v;

/** The methods of cls-rbd.ts, cls-rbd-object-map.ts, cls-rbd-namespace.ts, cls-rbd-trash.ts and cls-lock.ts, in that order. */
export const clsMethods: readonly AnyClsMethod[] = [rbd, objectMap, rbdNamespace, trash, lock].flatMap((m) => Object.values(m as Record<string, unknown>).filter(isMethod));

const byName = new Map<string, AnyClsMethod>(clsMethods.map((m) => [`${m.cls}.${m.method}`, m]));

/** The method `cls`.`method` (as a CALL op names it), or undefined for one we have no codec for. */
export function clsMethodByName(cls: string, method: string): AnyClsMethod | undefined {
  return byName.get(`${cls}.${method}`);
}

// What core-flow.ts writes, shared with test/integration/runtimes.test.ts, which checks with
// Ceph's own CLI (`rados get`, `rbd export`) that these exact bytes landed. No Node API here:
// the flow runs under Deno and Bun.
import { pattern } from '../integration/byte-pattern.ts';

export const MODES = ['crc', 'secure'] as const;
export type FlowMode = (typeof MODES)[number];

/** The pool one runtime creates for one mode (lower-case: `deno`, `bun`). */
export const poolName = (runtime: string, mode: FlowMode): string => `rados-ts-${runtime}-${mode}`;

/** Objects: `OBJ` is kept (with an xattr and omap) for the CLI; `GONE` is written, then removed. */
export const OBJ = 'runtime-object';
export const GONE = 'runtime-removed';
export const objData = (): Uint8Array => pattern(100_000, 11);
export const XATTR = { name: 'user.runtime', value: 'xattr-value-from-runtime' };
export const OMAP: Record<string, string> = { alpha: 'first omap value', beta: 'second omap value' };

/** RBD: `BASE` (snapshot `SNAP`, protected), its clone `KID` (kept), and clone `TMP` (removed). */
export const BASE = 'base';
export const SNAP = 'gold';
export const KID = 'kid';
export const TMP = 'tmp';
export const IMAGE_SIZE = 8 << 20;
export const baseData = (): Uint8Array => pattern(IMAGE_SIZE, 21);
/** Written to the base's head after the snapshot: the clone must not see it. */
export const HEAD_WRITE = { offset: 0, data: (): Uint8Array => pattern(4096, 22) };
/** Written to the clone across its first object boundary (copy-on-write of two objects). */
export const KID_WRITE = { offset: (4 << 20) - 1000, data: (): Uint8Array => pattern(300_000, 23) };

export function expectedKid(): Uint8Array {
  const out = baseData();
  out.set(KID_WRITE.data(), KID_WRITE.offset);
  return out;
}

export function expectedHead(): Uint8Array {
  const out = baseData();
  out.set(HEAD_WRITE.data(), HEAD_WRITE.offset);
  return out;
}

/** One step of the flow, as the script reports it. */
export interface StepReport {
  step: string;
  ok: boolean;
  error?: string;
  detail?: unknown;
}

export interface FlowReport {
  runtime: { name: string; version: string };
  modes: Record<FlowMode, StepReport[]>;
}

/** The marker before the JSON report on stdout, so runtime warnings cannot be taken for it. */
export const REPORT_MARKER = 'RADOS_TS_FLOW_REPORT ';

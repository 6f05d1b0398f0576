// How `rados-ts rados` and `rados-ts rbd` reach the cluster: Ceph's connection arguments
// (config/ceph-args.ts) plus `--mode`, one handle for the command, closed however it ends.
import type { CephArgOptions } from '../config/ceph-args.ts';
import { Rados } from '../index.ts';
import { UsageError } from './cli-io.ts';

/** Runs `use` with a handle connected as the arguments say; `tool` and `help` name a bad `--mode`. */
export async function withCliRados<T>(conn: CephArgOptions, mode: string | undefined, tool: string, help: string, use: (rados: Rados) => Promise<T>): Promise<T> {
  if (mode !== undefined && mode !== 'crc' && mode !== 'secure') throw new UsageError(`${tool}: unknown mode '${mode}' (crc, secure)`, help);
  const rados = await Rados.connect({ ...conn, ...(mode ? { mode } : {}) });
  try {
    return await use(rados);
  } finally {
    await rados.close();
  }
}

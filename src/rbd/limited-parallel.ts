// Bounded parallelism for per-object work (librbd throttles its object requests the same way,
// rbd_concurrent_management_ops): at most `limit` calls in flight.

/**
 * Object requests one image request or operation keeps in flight (I/O, trim, rollback, flatten,
 * removal): the role of librbd's rbd_concurrent_management_ops (whose default is 10).
 */
export const OBJECT_OPS_IN_FLIGHT = 16;

/**
 * Runs `f` over `items`, at most `limit` at once. After the first failure nothing new starts,
 * and the returned promise settles (rejecting with that first error) only once every call
 * already started has ended: a caller that counts its work in flight (the exclusive lock
 * does, to know when it may be handed over) never sees zero while a write is still out.
 */
export async function eachLimited<T>(items: readonly T[], limit: number, f: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        await f(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failure) throw failure.error;
}

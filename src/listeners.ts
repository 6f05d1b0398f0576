// Listener lists for the events a component announces (a message arrived, a map moved, a
// session reset): any number of subscribers, each added with `on` and removed by the function
// it returns, so a second subscriber never silently replaces the first.

/** Removes the listener it was returned for; calling it again does nothing. */
export type Unsubscribe = () => void;

/** Per-event listener lists; `E` maps each event name to its listeners' arguments. */
export class Listeners<E extends { [K in keyof E]: unknown[] }> {
  readonly #lists = new Map<keyof E, Set<(...args: never[]) => void>>();

  on<K extends keyof E>(event: K, fn: (...args: E[K]) => void): Unsubscribe {
    let list = this.#lists.get(event);
    if (!list) {
      list = new Set();
      this.#lists.set(event, list);
    }
    // A wrapper per registration: the same function added twice is two listeners, removed one at a time.
    const entry = (...args: never[]): void => fn(...(args as unknown as E[K]));
    list.add(entry);
    return () => void list.delete(entry);
  }

  /**
   * Calls each listener in the order added. A listener that throws stops the emit and the
   * error reaches the emitter (a Connection closes on it, as on any dispatch error).
   */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.#lists.get(event);
    if (!list) return;
    for (const fn of list) (fn as unknown as (...a: E[K]) => void)(...args);
  }

  /** How many listeners `event` has. */
  count(event: keyof E): number {
    return this.#lists.get(event)?.size ?? 0;
  }
}

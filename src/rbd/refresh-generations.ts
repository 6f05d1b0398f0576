// Which header reads an image's state comes from, so that a change that must see the header as
// it is now (librbd's refresh_if_required before a snapshot operation) can tell whether a read
// begun after it asked has landed — not merely begun: an unfinished read has not yet replaced
// the snapshot list the change checks names against.

export class RefreshGenerations {
  /** Reads begun so far; each is numbered by this count when it begins. */
  private begun = 0;
  /** The number of the latest-begun read whose result the state holds. */
  private applied = 0;

  /** A point to ask `landedSince` about: reads begun after it count. */
  mark(): number {
    return this.begun;
  }

  /** A read begins: its number. */
  begin(): number {
    return ++this.begun;
  }

  /** Whether read `n`'s result may replace the state: not when a read begun after it has already landed (its result is newer). */
  mayApply(n: number): boolean {
    return n >= this.applied;
  }

  /** Read `n`'s result is now the state. */
  landed(n: number): void {
    if (n > this.applied) this.applied = n;
  }

  /** Whether a read begun after `mark` has landed. */
  landedSince(mark: number): boolean {
    return this.applied > mark;
  }
}

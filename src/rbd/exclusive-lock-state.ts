// The exclusive lock's state machine, pure (the I/O it asks for is returned as effects and run
// by exclusive-lock.ts). States and moves follow librbd's ManagedLock (STATE_UNLOCKED,
// STATE_ACQUIRING, STATE_LOCKED, STATE_RELEASING, STATE_SHUTDOWN; ManagedLock.cc) with what
// ExclusiveLock/ImageWatcher add: a lock handed over on another client's REQUEST_LOCK is not
// asked back until that client says ACQUIRED_LOCK (or a while passes), and a lock held when our
// header watch went is taken back as soon as we watch again (ManagedLock::reacquire_lock).

export type LockState =
  /** Not ours. `dropped`: it went from us without our releasing it (watch lost, blocklisted), not taken back since. */
  | { kind: 'unlocked'; dropped: boolean }
  /**
   * Taking it (cls lock, asking a live owner, breaking a dead one), then the acquired hook.
   * `closing`: release at once and close. `rewatched`: we watch the header again under a new
   * cookie since this began, so the lock may have been taken (or found ours) under the old one.
   */
  | { kind: 'acquiring'; dropped: boolean; closing: boolean; rewatched: boolean }
  | { kind: 'locked' }
  /**
   * Letting it go once the changes in flight end: the released hook, cls unlock, RELEASED_LOCK.
   * `handOver`: asked for by another client (wait for it to take the lock); `closing`: then close.
   */
  | { kind: 'releasing'; handOver: boolean; dropped: boolean; closing: boolean }
  /** Handed to the client that asked: not asked back until it has taken it (or a while passed). `dropped` as in unlocked. */
  | { kind: 'handed-over'; dropped: boolean }
  /** Ours when our header watch went (the cls lock is still ours, under the old cookie): take it back on re-watch. */
  | { kind: 'watch-lost' }
  /** The image is closed. `dropped`: a lock we lost may still be under one of our cookies. */
  | { kind: 'closed'; dropped: boolean };

export interface LockMachine {
  state: LockState;
  /** Changes running under the lock (enter…leave); a release waits for them. */
  inflight: number;
}

export type LockEvent =
  /** A change wants the lock and it is not ours: start taking it. */
  | { type: 'acquire' }
  | { type: 'acquired' }
  | { type: 'acquire-failed' }
  /** A change starts under the lock (only while locked). */
  | { type: 'enter' }
  /** A change under the lock has ended. */
  | { type: 'leave' }
  /** Another client asked for the lock (REQUEST_LOCK). */
  | { type: 'request-lock' }
  /** Our user lets the lock go (librbd's lock_release): released once the changes in flight end, to no one in particular. */
  | { type: 'release' }
  /** The release effect is done (unlocked, RELEASED_LOCK sent). */
  | { type: 'released' }
  /** The client we handed the lock to has it (ACQUIRED_LOCK), or we stopped waiting. */
  | { type: 'requester-acquired' }
  /** Our watch is gone, or we were blocklisted: the lock is no longer (usably) ours. */
  | { type: 'lost'; cause: 'watch' | 'blocklisted' }
  /** We watch the header again, under a new cookie. */
  | { type: 'rewatched' }
  /** The image is being closed. */
  | { type: 'close' };

export type LockEffect =
  /** Take the lock (cls lock / request / break), run the acquired hook, then `acquired` or `acquire-failed`. */
  | 'acquire'
  /** Send ACQUIRED_LOCK. */
  | 'notify-acquired'
  /**
   * Nothing is in flight any more: run the releasing hook, unlock (under our current cookie and
   * every former one: a re-watch meanwhile leaves the lock under the old), send RELEASED_LOCK,
   * then `released`.
   */
  | 'release'
  /** Wait for the requester's ACQUIRED_LOCK (bounded), then `requester-acquired`. */
  | 'await-requester'
  /** Still locked, but under a cookie of a watch we lost: move the lock to the new cookie (set_cookie). */
  | 'move-cookie'
  /** Closed with a lock we lost perhaps still under one of our cookies: unlock those, or others would fence us. */
  | 'unlock-dropped';

export interface LockStep {
  next: LockMachine;
  effects: LockEffect[];
}

const stay = (m: LockMachine): LockStep => ({ next: m, effects: [] });
const to = (m: LockMachine, state: LockState, ...effects: LockEffect[]): LockStep => ({ next: { state, inflight: m.inflight }, effects });

/** Into `releasing`: the release effect at once when nothing is in flight, else on the last leave. */
const startRelease = (m: LockMachine, handOver: boolean, dropped: boolean, closing: boolean): LockStep =>
  to(m, { kind: 'releasing', handOver, dropped, closing }, ...(m.inflight === 0 ? (['release'] as const) : []));

const closed = (m: LockMachine, dropped: boolean): LockStep => to(m, { kind: 'closed', dropped }, ...(dropped ? (['unlock-dropped'] as const) : []));

/** The watch went, or we were blocklisted: every state named, so a new one must say what losing means for it. */
function lost(m: LockMachine, cause: 'watch' | 'blocklisted'): LockStep {
  const s = m.state;
  switch (s.kind) {
    case 'locked':
      return cause === 'watch' ? to(m, { kind: 'watch-lost' }) : to(m, { kind: 'unlocked', dropped: true });
    case 'acquiring':
      return to(m, { ...s, dropped: true });
    case 'releasing':
      return to(m, { ...s, dropped: true });
    case 'unlocked':
    case 'handed-over':
    case 'watch-lost':
    case 'closed':
      return stay(m);
  }
}

/** The one transition function: the next state and the I/O to start, for one event. */
export function step(m: LockMachine, e: LockEvent): LockStep {
  const s = m.state;
  switch (e.type) {
    case 'acquire':
      if (s.kind === 'unlocked') return to(m, { kind: 'acquiring', dropped: s.dropped, closing: false, rewatched: false }, 'acquire');
      if (s.kind === 'watch-lost') return to(m, { kind: 'acquiring', dropped: true, closing: false, rewatched: false }, 'acquire');
      return stay(m);
    case 'acquired':
      if (s.kind !== 'acquiring') return stay(m);
      if (s.closing) return startRelease(m, false, false, true);
      // Re-watched while taking it: the lock may sit under the old cookie (EEXIST under it, or
      // set_cookie to it), which no watch backs any more; move it as librbd's reacquire does.
      if (s.rewatched) return to(m, { kind: 'locked' }, 'move-cookie', 'notify-acquired');
      return to(m, { kind: 'locked' }, 'notify-acquired');
    case 'acquire-failed':
      if (s.kind !== 'acquiring') return stay(m);
      {
        // Re-watched meanwhile: a lock taken under the old cookie is not unlocked by the failure
        // path (it unlocks under the current one), so it counts as dropped.
        const dropped = s.dropped || s.rewatched;
        return s.closing ? closed(m, dropped) : to(m, { kind: 'unlocked', dropped });
      }
    case 'enter':
      if (s.kind !== 'locked') return stay(m);
      return { next: { state: s, inflight: m.inflight + 1 }, effects: [] };
    case 'leave': {
      const inflight = Math.max(0, m.inflight - 1);
      // Only the leave that takes the count to zero runs the release: a stray leave at zero must not run it twice.
      const drained = s.kind === 'releasing' && inflight === 0 && m.inflight > 0;
      return { next: { state: s, inflight }, effects: drained ? ['release'] : [] };
    }
    case 'request-lock':
      if (s.kind !== 'locked') return stay(m);
      return startRelease(m, true, false, false);
    case 'release':
      if (s.kind !== 'locked') return stay(m);
      return startRelease(m, false, false, false);
    case 'released':
      if (s.kind !== 'releasing') return stay(m);
      if (s.closing) return closed(m, s.dropped);
      if (s.handOver) return to(m, { kind: 'handed-over', dropped: s.dropped }, 'await-requester');
      return to(m, { kind: 'unlocked', dropped: s.dropped });
    case 'requester-acquired':
      if (s.kind !== 'handed-over') return stay(m);
      return to(m, { kind: 'unlocked', dropped: s.dropped });
    case 'lost':
      return lost(m, e.cause);
    case 'rewatched':
      if (s.kind === 'watch-lost') return to(m, { kind: 'acquiring', dropped: true, closing: false, rewatched: false }, 'acquire');
      // Taken back under the old cookie before the re-watch: it must follow the new one.
      if (s.kind === 'locked') return { next: m, effects: ['move-cookie'] };
      // Being taken: moved once it is ours (acquired). Being released: the release unlocks
      // under the former cookies too, so nothing to do here.
      if (s.kind === 'acquiring') return to(m, { ...s, rewatched: true });
      return stay(m);
    case 'close':
      switch (s.kind) {
        case 'unlocked':
          return closed(m, s.dropped);
        case 'handed-over':
          return closed(m, s.dropped);
        case 'watch-lost':
          return closed(m, true);
        case 'locked':
          return startRelease(m, false, false, true);
        case 'acquiring':
          return to(m, { ...s, closing: true });
        case 'releasing':
          return to(m, { ...s, closing: true });
        case 'closed':
          return stay(m);
      }
  }
}

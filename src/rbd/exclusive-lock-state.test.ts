// Each transition of the exclusive lock's state machine, from hand-built states; the expected
// moves are librbd's ManagedLock/ExclusiveLock semantics (see exclusive-lock-state.ts).
import { describe, expect, it } from 'vitest';
import { type LockMachine, type LockState, step } from './exclusive-lock-state.ts';

const m = (state: LockState, inflight = 0): LockMachine => ({ state, inflight });
const unlocked = (dropped = false): LockState => ({ kind: 'unlocked', dropped });
const acquiring = (dropped = false, closing = false, rewatched = false): LockState => ({ kind: 'acquiring', dropped, closing, rewatched });
const locked: LockState = { kind: 'locked' };
const releasing = (handOver = false, dropped = false, closing = false): LockState => ({ kind: 'releasing', handOver, dropped, closing });
const handedOver = (dropped = false): LockState => ({ kind: 'handed-over', dropped });

describe('exclusive lock transitions', () => {
  it('acquire: unlocked (or lost with the watch) starts taking the lock; anything else is left alone', () => {
    expect(step(m(unlocked()), { type: 'acquire' })).toEqual({ next: m(acquiring()), effects: ['acquire'] });
    expect(step(m(unlocked(true)), { type: 'acquire' })).toEqual({ next: m(acquiring(true)), effects: ['acquire'] });
    expect(step(m({ kind: 'watch-lost' }), { type: 'acquire' })).toEqual({ next: m(acquiring(true)), effects: ['acquire'] });
    for (const s of [acquiring(), locked, releasing(), handedOver(), { kind: 'closed', dropped: false } as const]) {
      expect(step(m(s), { type: 'acquire' })).toEqual({ next: m(s), effects: [] });
    }
  });

  it('acquired: locked, ACQUIRED_LOCK sent, the dropped mark cleared; when closing meanwhile, released at once', () => {
    expect(step(m(acquiring(true)), { type: 'acquired' })).toEqual({ next: m(locked), effects: ['notify-acquired'] });
    expect(step(m(acquiring(false, true)), { type: 'acquired' })).toEqual({ next: m(releasing(false, false, true)), effects: ['release'] });
    expect(step(m(unlocked()), { type: 'acquired' }).next).toEqual(m(unlocked()));
  });

  it('acquired after a re-watch during the acquisition: the lock moves to the new cookie (it may sit under the old, with no watch)', () => {
    expect(step(m(acquiring(true, false, true)), { type: 'acquired' })).toEqual({ next: m(locked), effects: ['move-cookie', 'notify-acquired'] });
    // Closing meanwhile: released at once, and the release unlocks under former cookies too.
    expect(step(m(acquiring(false, true, true)), { type: 'acquired' })).toEqual({ next: m(releasing(false, false, true)), effects: ['release'] });
  });

  it('acquire-failed: back to unlocked (keeping the dropped mark), or closed when closing', () => {
    expect(step(m(acquiring(true)), { type: 'acquire-failed' })).toEqual({ next: m(unlocked(true)), effects: [] });
    expect(step(m(acquiring(false, true)), { type: 'acquire-failed' })).toEqual({ next: m({ kind: 'closed', dropped: false }), effects: [] });
    expect(step(m(acquiring(true, true)), { type: 'acquire-failed' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
    // Re-watched during it: the lock may be left under the old cookie, which the close must unlock.
    expect(step(m(acquiring(false, false, true)), { type: 'acquire-failed' })).toEqual({ next: m(unlocked(true)), effects: [] });
    expect(step(m(acquiring(false, true, true)), { type: 'acquire-failed' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
  });

  it('enter counts a change only while locked; leave uncounts it, and the last leave of a release runs it', () => {
    expect(step(m(locked, 2), { type: 'enter' })).toEqual({ next: m(locked, 3), effects: [] });
    expect(step(m(unlocked()), { type: 'enter' })).toEqual({ next: m(unlocked()), effects: [] });
    expect(step(m(locked, 2), { type: 'leave' })).toEqual({ next: m(locked, 1), effects: [] });
    expect(step(m(releasing(true), 2), { type: 'leave' })).toEqual({ next: m(releasing(true), 1), effects: [] });
    expect(step(m(releasing(true), 1), { type: 'leave' })).toEqual({ next: m(releasing(true), 0), effects: ['release'] });
    // A leave with nothing counted (a second leave after the last) does not run the release again.
    expect(step(m(releasing(true), 0), { type: 'leave' })).toEqual({ next: m(releasing(true), 0), effects: [] });
    expect(step(m(releasing(false, false, true), 0), { type: 'leave' })).toEqual({ next: m(releasing(false, false, true), 0), effects: [] });
    // A change that began under a lock we have since lost still ends (and is uncounted).
    expect(step(m(unlocked(true), 1), { type: 'leave' })).toEqual({ next: m(unlocked(true), 0), effects: [] });
  });

  it('request-lock: the owner releases for a hand-over, at once when idle, else after the changes in flight', () => {
    expect(step(m(locked), { type: 'request-lock' })).toEqual({ next: m(releasing(true)), effects: ['release'] });
    expect(step(m(locked, 3), { type: 'request-lock' })).toEqual({ next: m(releasing(true), 3), effects: [] });
    for (const s of [unlocked(), acquiring(), releasing(), handedOver()]) {
      expect(step(m(s), { type: 'request-lock' })).toEqual({ next: m(s), effects: [] });
    }
  });

  it('release (lock_release): the owner lets the lock go to no one, after the changes in flight, then is unlocked', () => {
    expect(step(m(locked), { type: 'release' })).toEqual({ next: m(releasing()), effects: ['release'] });
    expect(step(m(locked, 2), { type: 'release' })).toEqual({ next: m(releasing(), 2), effects: [] });
    expect(step(m(releasing()), { type: 'released' })).toEqual({ next: m(unlocked()), effects: [] });
    for (const s of [unlocked(), acquiring(), releasing(true), handedOver()]) {
      expect(step(m(s), { type: 'release' })).toEqual({ next: m(s), effects: [] });
    }
  });

  it('released: handed over (waiting for the requester), unlocked, or closed', () => {
    expect(step(m(releasing(true)), { type: 'released' })).toEqual({ next: m(handedOver()), effects: ['await-requester'] });
    // A lock lost mid-hand-over may still sit under an old cookie of ours: the mark is kept.
    expect(step(m(releasing(true, true)), { type: 'released' })).toEqual({ next: m(handedOver(true)), effects: ['await-requester'] });
    expect(step(m(releasing(false, true)), { type: 'released' })).toEqual({ next: m(unlocked(true)), effects: [] });
    expect(step(m(releasing(false, false, true)), { type: 'released' })).toEqual({ next: m({ kind: 'closed', dropped: false }), effects: [] });
    expect(step(m(releasing(true, true, true)), { type: 'released' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
  });

  it('requester-acquired: a handed-over lock may be asked for again', () => {
    expect(step(m(handedOver()), { type: 'requester-acquired' })).toEqual({ next: m(unlocked()), effects: [] });
    expect(step(m(handedOver(true)), { type: 'requester-acquired' })).toEqual({ next: m(unlocked(true)), effects: [] });
    expect(step(m(locked), { type: 'requester-acquired' })).toEqual({ next: m(locked), effects: [] });
  });

  it('lost: a held lock goes to watch-lost (watch) or unlocked-dropped (blocklisted); in-between states keep going, marked dropped', () => {
    expect(step(m(locked, 1), { type: 'lost', cause: 'watch' })).toEqual({ next: m({ kind: 'watch-lost' }, 1), effects: [] });
    expect(step(m(locked, 1), { type: 'lost', cause: 'blocklisted' })).toEqual({ next: m(unlocked(true), 1), effects: [] });
    expect(step(m(acquiring()), { type: 'lost', cause: 'watch' })).toEqual({ next: m(acquiring(true)), effects: [] });
    expect(step(m(releasing(true)), { type: 'lost', cause: 'blocklisted' })).toEqual({ next: m(releasing(true, true)), effects: [] });
    expect(step(m(unlocked()), { type: 'lost', cause: 'watch' })).toEqual({ next: m(unlocked()), effects: [] });
  });

  it('rewatched: a lock lost with the watch is taken back at once; one re-taken under the old cookie moves to the new', () => {
    expect(step(m({ kind: 'watch-lost' }), { type: 'rewatched' })).toEqual({ next: m(acquiring(true)), effects: ['acquire'] });
    expect(step(m(locked, 2), { type: 'rewatched' })).toEqual({ next: m(locked, 2), effects: ['move-cookie'] });
    expect(step(m(unlocked()), { type: 'rewatched' })).toEqual({ next: m(unlocked()), effects: [] });
    // Mid-acquisition: remembered, and the lock moved once acquired (see 'acquired').
    expect(step(m(acquiring(true)), { type: 'rewatched' })).toEqual({ next: m(acquiring(true, false, true)), effects: [] });
    expect(step(m(acquiring(false, true)), { type: 'rewatched' })).toEqual({ next: m(acquiring(false, true, true)), effects: [] });
    // Mid-release: nothing to move (the release effect unlocks under our former cookies too;
    // exclusive-lock.test.ts shows it), and no acquisition starts.
    expect(step(m(releasing(true), 1), { type: 'rewatched' })).toEqual({ next: m(releasing(true), 1), effects: [] });
    expect(step(m({ kind: 'closed', dropped: false }), { type: 'rewatched' })).toEqual({ next: m({ kind: 'closed', dropped: false }), effects: [] });
  });

  it('close: from every state, a held lock released first; a dropped lock let go', () => {
    expect(step(m(unlocked()), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: false }), effects: [] });
    expect(step(m(unlocked(true)), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
    expect(step(m({ kind: 'watch-lost' }), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
    expect(step(m(handedOver()), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: false }), effects: [] });
    expect(step(m(handedOver(true)), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: ['unlock-dropped'] });
    expect(step(m(locked), { type: 'close' })).toEqual({ next: m(releasing(false, false, true)), effects: ['release'] });
    expect(step(m(locked, 1), { type: 'close' })).toEqual({ next: m(releasing(false, false, true), 1), effects: [] });
    expect(step(m(acquiring()), { type: 'close' })).toEqual({ next: m(acquiring(false, true)), effects: [] });
    expect(step(m(releasing(true)), { type: 'close' })).toEqual({ next: m(releasing(true, false, true)), effects: [] });
    expect(step(m({ kind: 'closed', dropped: true }), { type: 'close' })).toEqual({ next: m({ kind: 'closed', dropped: true }), effects: [] });
  });
});

import { tagName } from '../../protocol/msgr2/tags.ts';

/** What the `onFrame` hook sees: every frame, both directions, after decryption in secure mode. */
export interface FrameEvent {
  /** 'tx': sent by us; 'rx': received from the peer. */
  direction: 'tx' | 'rx';
  /** "host:port" of the peer. */
  peer: string;
  /** The connection's number within this client (1, 2, … in the order the messenger opened them; 0 outside a messenger). */
  connection: number;
  /** The connection's msgr2 mode (ConMode CRC or SECURE). */
  mode: 'crc' | 'secure';
  /** The frame tag number (Tag, src/msg/async/frames_v2.h). */
  tag: number;
  /** The tag's name (`MESSAGE`, `AUTH_REQUEST`, …). */
  tagName: string;
  /** The frame's segments in plaintext; a MESSAGE's are header, front, middle and data. */
  segments: readonly Uint8Array[];
}

/** `RadosConnectOptions.onFrame`: sees each frame sent or received. */
export type FrameHook = (event: FrameEvent) => void;

/** A FrameEvent for a frame of connection `connection` with `peer`. */
export function frameEvent(direction: 'tx' | 'rx', peer: string, connection: number, mode: 'crc' | 'secure', tag: number, segments: readonly Uint8Array[]): FrameEvent {
  return { direction, peer, connection, mode, tag, tagName: tagName(tag), segments };
}

import { tagName } from '../../protocol/msgr2/tags.ts';

/** What the `onFrame` hook sees: every frame, both directions, after decryption in secure mode. */
export interface FrameEvent {
  direction: 'tx' | 'rx';
  /** "host:port" of the peer. */
  peer: string;
  mode: 'crc' | 'secure';
  tag: number;
  tagName: string;
  segments: readonly Uint8Array[];
}

/** `RadosConnectOptions.onFrame`: sees each frame sent or received. */
export type FrameHook = (event: FrameEvent) => void;

export function frameEvent(direction: 'tx' | 'rx', peer: string, mode: 'crc' | 'secure', tag: number, segments: readonly Uint8Array[]): FrameEvent {
  return { direction, peer, mode, tag, tagName: tagName(tag), segments };
}

// The decoder's promise that no byte goes unmentioned: each direction of each session is its
// banner, then frames and spans (encrypted, lost, incomplete, …) end to end, through to the
// direction's last byte. A frame the capture cut keeps its whole length (its preamble gave it),
// so the lost bytes inside it overlap it.
import { expect } from 'vitest';
import type { CaptureTrace } from '../../protocol/trace/decode-capture.ts';

interface Piece {
  offset: number;
  length: number;
  what: 'frame' | 'incomplete-frame' | 'lost' | 'span';
}

/** Banner, frames and spans of each direction follow one another from its start to its end. */
export function accountedFor(t: CaptureTrace): void {
  for (const s of t.sessions) {
    for (const dir of ['to-server', 'to-client'] as const) {
      const pieces: Piece[] = [
        ...s.frames.filter((f) => f.dir === dir).map((f): Piece => ({ offset: f.offset, length: f.length, what: f.crc === 'incomplete' ? 'incomplete-frame' : 'frame' })),
        ...t.spans.filter((x) => x.session === s.id && x.dir === dir).map((x): Piece => ({ offset: x.offset, length: x.length, what: x.kind === 'lost' ? 'lost' : 'span' })),
      ].sort((a, b) => a.offset - b.offset);
      // After the banner ("ceph v2\n", le16 16, le64 supported, le64 required), or from the first
      // byte captured of a session already running.
      let at = s.banners[dir === 'to-server' ? 'client' : 'server'] ? 26 : 0;
      let inCutFrame = false;
      for (const p of pieces) {
        const where = `session ${s.id} ${dir} at ${p.offset}`;
        if (p.what === 'lost' && inCutFrame && p.offset < at) {
          at = Math.max(at, p.offset + p.length);
          continue;
        }
        expect(p.offset, where).toBe(at);
        at = p.offset + p.length;
        if (p.what !== 'lost') inCutFrame = p.what === 'incomplete-frame';
      }
      // A frame cut by the capture's end reaches past it; anything else ends where the stream does.
      if (inCutFrame) expect(at, `session ${s.id} ${dir} end`).toBeGreaterThanOrEqual(s.streamLength[dir]);
      else expect(at, `session ${s.id} ${dir} end`).toBe(s.streamLength[dir]);
    }
  }
}

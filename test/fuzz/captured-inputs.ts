// The real bytes the fuzz targets start from, read out of fixtures/: whole msgr2 streams as a Ceph
// daemon or client sent them (crc mode), their frames and messages, and the messages of the
// secure-mode captures once decrypted with their keyrings. Only Ceph's bytes: the streams rados-ts
// itself sent (fixtures/msgr2 *.tx.bin, the client side of the secure captures) are left out.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { type Frame } from '../../protocol/msgr2/frame.ts';
import { frameToMessage, type Message } from '../../protocol/msgr2/message-frame.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { sessions } from '../capture/osd-ops.ts';
import { parseSession } from '../capture/parse-session.ts';
import { fixturePath } from '../fixtures/fixtures-root.ts';

/** One direction of a captured crc-mode session: banner then frames, as it went on the wire. */
export interface CapturedStream {
  /** fixture path (and session number for the multi-session files of fixtures/ops). */
  label: string;
  bytes: Uint8Array;
}

const read = (...parts: string[]): Uint8Array => new Uint8Array(readFileSync(fixturePath(...parts)));
const binsIn = (...dir: string[]): string[] =>
  readdirSync(fixturePath(...dir))
    .filter((f) => f.endsWith('.bin'))
    .sort();

let streamsCache: CapturedStream[] | undefined;

/** Every crc-mode stream Ceph sent in the fixtures (mon and OSD sessions, both releases captured). */
export function capturedStreams(): CapturedStream[] {
  if (streamsCache) return streamsCache;
  const out: CapturedStream[] = [{ label: 'msgr2/mon-authnone-crc.rx.bin', bytes: read('msgr2', 'mon-authnone-crc.rx.bin') }];
  for (const dir of [['capture'], ['cephx', 'tentacle-capture']]) for (const f of binsIn(...dir)) out.push({ label: [...dir, f].join('/'), bytes: read(...dir, f) });
  for (const f of binsIn('ops')) sessions(read('ops', f)).forEach((bytes, i) => out.push({ label: `ops/${f}#${i}`, bytes }));
  if (existsSync(fixturePath('osdmap-incremental')))
    for (const f of binsIn('osdmap-incremental')) out.push({ label: `osdmap-incremental/${f}`, bytes: read('osdmap-incremental', f) });
  return (streamsCache = out);
}

/** A frame of a captured stream. */
export interface CapturedFrame {
  label: string;
  frame: Frame;
}

let framesCache: Promise<CapturedFrame[]> | undefined;

/** Every frame of the crc-mode streams, then the decrypted frames the secure captures' servers sent. */
export function capturedFrames(): Promise<CapturedFrame[]> {
  return (framesCache ??= (async () => {
    const out: CapturedFrame[] = [];
    for (const s of capturedStreams()) {
      const parsed = await parseSession(s.bytes);
      parsed.frames.forEach((f, i) => out.push({ label: `${s.label} frame ${i}`, frame: f.frame }));
    }
    for (const dir of [
      ['capture', 'secure'],
      ['capture', 'secure', 'tentacle'],
    ]) {
      const trace = await decodeCapture(read(...dir, 'rados-ts-secure.pcap'), { keyring: parseKeyring(new TextDecoder().decode(read(...dir, 'keyring'))) });
      for (const s of trace.sessions) {
        s.frames.forEach((f, i) => {
          // The server's frames only: the client of these captures is rados-ts.
          if (f.dir === 'to-client' && f.crc === 'ok' && !f.aborted) out.push({ label: `${dir.join('/')}/rados-ts-secure.pcap session ${s.id} frame ${i}`, frame: f });
        });
      }
    }
    return out;
  })());
}

/** A message of a captured stream. */
export interface CapturedMessage {
  label: string;
  message: Message;
}

/** Every MESSAGE frame's message in capturedFrames(). */
export async function capturedMessages(): Promise<CapturedMessage[]> {
  return (await capturedFrames()).filter((f) => f.frame.tag === Tag.MESSAGE).map((f) => ({ label: f.label, message: frameToMessage(f.frame) }));
}

/** A fixture file's text (keyrings). */
export const fixtureText = (...parts: string[]): string => new TextDecoder().decode(read(...parts));

/** A fixture file's bytes. */
export const fixtureBytes = read;

/** The files of a fixtures/ folder ending in `ext`, sorted. */
export const fixtureFiles = (dir: string, ext: string): string[] =>
  readdirSync(fixturePath(dir))
    .filter((f) => f.endsWith(ext))
    .sort();

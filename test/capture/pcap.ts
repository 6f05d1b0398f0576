// Whole TCP streams out of a loopback capture, for the tests that check our own sessions:
// the capture readers of protocol/capture/ joined into one byte array per direction.
import { readCaptureFile } from '../../protocol/capture/capture-file.ts';
import { tcpSegmentOf, type TcpSegment } from '../../protocol/capture/tcp-segment.ts';
import { type HalfStream, reassembleTcp } from '../../protocol/capture/tcp-streams.ts';
import { concatBytes } from '../../protocol/encoding/concat-bytes.ts';

export interface TcpStream {
  /** "ip:port" of the side that sent the SYN. */
  client: string;
  server: string;
  /** Bytes the client sent, then bytes the server sent, each in order. */
  clientBytes: Uint8Array;
  serverBytes: Uint8Array;
  /** False when the capture missed bytes (a gap): the stream is cut at the gap. */
  complete: boolean;
}

/** Bytes up to the first gap. */
function contiguous(h: HalfStream): Uint8Array {
  const end = h.gaps[0]?.offset ?? h.length;
  return concatBytes(h.chunks.filter((c) => c.offset < end).map((c) => c.data));
}

export function readPcap(file: Uint8Array): TcpStream[] {
  const segments = readCaptureFile(file)
    .packets.map(tcpSegmentOf)
    .filter((s): s is TcpSegment => s !== undefined);
  return reassembleTcp(segments)
    .filter((c) => c.toServer.fromStart && c.toClient.fromStart)
    .map((c) => ({
      client: c.client,
      server: c.server,
      clientBytes: contiguous(c.toServer),
      serverBytes: contiguous(c.toClient),
      complete: c.toServer.gaps.length === 0 && c.toClient.gaps.length === 0,
    }));
}

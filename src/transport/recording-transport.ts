// Wraps a transport and hands every chunk, both directions, to a sink: the raw wire bytes
// (encrypted in secure mode). Used to capture sessions for fixtures and to debug the protocol.
import type { ConnectOptions, Transport, TransportFactory } from './transport.ts';

export interface WireRecord {
  direction: 'tx' | 'rx';
  peer: string;
  bytes: Uint8Array;
}

export function recordingTransport(inner: TransportFactory, sink: (r: WireRecord) => void): TransportFactory {
  return async (opts: ConnectOptions): Promise<Transport> => {
    const t = await inner(opts);
    const peer = `${opts.host}:${opts.port}`;
    return {
      write(data) {
        sink({ direction: 'tx', peer, bytes: data.slice() });
        return t.write(data);
      },
      async *readable() {
        for await (const chunk of t.readable()) {
          sink({ direction: 'rx', peer, bytes: chunk.slice() });
          yield chunk;
        }
      },
      close: () => t.close(),
    };
  };
}

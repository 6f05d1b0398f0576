// The messages a Ceph daemon or client logged with `debug ms = 1`: each one received
// (ProtocolV2::handle_message: "<== client.4146 v2:127.0.0.1:0/3141 5 ==== mon_get_version(what=osdmap
// handle=1) v1 ==== 18+0+0 (crc 0 0 0) 0x… con 0x…") and each one sent (AsyncConnection::send_message:
// "-- <own addrs> --> <peer addrs> -- osd_op_reply(…) v8 -- 0x… con 0x…"), with the text of the
// message's own print (Message::print) and the " v<header version>" operator<< adds cut off.

/** A message the log's owner received. */
export interface ReceivedLine {
  /** Sender's entity name ("client.4146"). */
  from: string;
  /** The sender's address nonce (the number after "/" in its address): one per process. */
  nonce: string;
  seq: number;
  /** Message::print's text. */
  text: string;
  /** The header version printed after it (0 when none was printed). */
  version: number;
}

/** A message the log's owner sent. */
export interface SentLine {
  /** The peer's address nonce. */
  nonce: string;
  /** The log owner's own address nonce (for a client: one per process). */
  ownNonce: string;
  text: string;
  version: number;
}

/** The print's name for the message type: the text up to its first "(" or space ("osd_op_reply"). */
export const printName = (text: string): string => /^[^( ]*/.exec(text)![0];

const RECEIVED = / <== (\S+) (\S+) (\d+) ==== (.*) ==== \d+\+\d+\+\d+ \(/;
const SENT = / -- (\S+) --> (\S+) -- (.*) -- 0x[0-9a-f]+ con 0x[0-9a-f]+$/;
const nonceOf = (addrs: string): string => /\/(\d+)\]?$/.exec(addrs)?.[1] ?? '?';

function splitVersion(print: string): { text: string; version: number } {
  const m = / v(\d+)$/.exec(print);
  return m ? { text: print.slice(0, m.index), version: Number(m[1]) } : { text: print, version: 0 };
}

/** The received and sent messages a log holds, in log order. */
export function parseMsLog(log: string): { received: ReceivedLine[]; sent: SentLine[] } {
  const received: ReceivedLine[] = [];
  const sent: SentLine[] = [];
  for (const line of log.split('\n')) {
    const r = RECEIVED.exec(line);
    if (r) {
      received.push({ from: r[1]!, nonce: nonceOf(r[2]!), seq: Number(r[3]), ...splitVersion(r[4]!) });
      continue;
    }
    const s = SENT.exec(line);
    if (s) sent.push({ ownNonce: nonceOf(s[1]!), nonce: nonceOf(s[2]!), ...splitVersion(s[3]!) });
  }
  return { received, sent };
}

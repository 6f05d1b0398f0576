// The fuzz targets: one per decoder family, each with the real inputs it starts from (bytes Ceph's
// daemons, CLIs and tools wrote, from fixtures/) and the decode a received input goes through. The
// contract under mutation: an input decodes or throws the family's typed error (DecodeError for
// encodings, ProtocolError/FrameAbortedError for framing, AuthError for cephx, CaptureFormatError
// for capture files, TraceFormatError for trace files) — never another exception, a hang, or a huge allocation (fuzz-engine.ts).
import { decodeCrushMap } from '../../crush/decode-crush-map.ts';
import { decodeOSDMap } from '../../crush/osdmap/decode-osdmap.ts';
import { decodeIncremental } from '../../crush/osdmap/incremental.ts';
import { CaptureFormatError } from '../../protocol/capture/capture-errors.ts';
import { CephxClient } from '../../protocol/cephx/client.ts';
import { decodeDecrypt, decryptEncBl } from '../../protocol/cephx/envelope.ts';
import { KeyUsage } from '../../protocol/cephx/key-usage.ts';
import { parseKeyring } from '../../protocol/cephx/keyring.ts';
import { decodeAuthenticate, decodeAuthorizeReply, decodeServerChallenge } from '../../protocol/cephx/messages.ts';
import { clsMethodByName } from '../../protocol/cls/cls-registry.ts';
import { webCryptoProvider } from '../../protocol/crypto/crypto-provider.ts';
import { DecodeError } from '../../protocol/encoding/decode-error.ts';
import { Reader } from '../../protocol/encoding/reader.ts';
import { AuthError, ProtocolError } from '../../protocol/errors.ts';
import { decodeMonMap } from '../../protocol/maps/monmap.ts';
import { decodeAuthMessage, decodeAuthReply } from '../../protocol/messages/auth-message.ts';
import { MsgType } from '../../protocol/messages/message-types.ts';
import { decodeMonCommand, decodeMonCommandAck } from '../../protocol/messages/mon-command.ts';
import { decodeMonMapMessage } from '../../protocol/messages/mon-map-message.ts';
import { decodeMonSubscribe, decodeMonSubscribeAck } from '../../protocol/messages/mon-subscribe.ts';
import { OsdOpCode } from '../../protocol/messages/osd-op-codes.ts';
import { decodeOsdMapMessage } from '../../protocol/messages/osd-map-message.ts';
import { decodeOsdOp } from '../../protocol/messages/osd-op.ts';
import { decodeOsdOpReply } from '../../protocol/messages/osd-op-reply.ts';
import { decodeListWatchers, decodeNotifyResult, decodeWatchNotify, WatchNotifyOp } from '../../protocol/messages/watch-notify.ts';
import { decodeAuthBadMethod, decodeAuthDone, decodeAuthMore, decodeAuthRequest, decodeAuthSignature, decodeHello } from '../../protocol/msgr2/auth-frames.ts';
import { BANNER_HEAD_LENGTH, decodeBannerHead, decodeBannerPayload } from '../../protocol/msgr2/banner.ts';
import { decodeCompressionDone, decodeCompressionRequest } from '../../protocol/msgr2/compression-frames.ts';
import { CrcFrameCodec, FrameAbortedError } from '../../protocol/msgr2/crc-frame-codec.ts';
import { FrameDecoder } from '../../protocol/msgr2/frame-decoder.ts';
import { decodeClientIdent, decodeIdentMissingFeatures, decodeServerIdent } from '../../protocol/msgr2/ident-frames.ts';
import { decodeMessageHeader } from '../../protocol/msgr2/message-frame.ts';
import { decodeKeepalive, decodeReconnect, decodeReset, decodeU64Frame } from '../../protocol/msgr2/session-frames.ts';
import { Tag } from '../../protocol/msgr2/tags.ts';
import { decodeBlobMap, decodeOmapKeys, decodeOmapVals, decodeSparseRead, decodeStat } from '../../protocol/osd/op-steps.ts';
import { decodeCapture } from '../../protocol/trace/decode-capture.ts';
import { parseEntityName, EntityType } from '../../protocol/types/entity-name.ts';
import { decodeTraceRecords } from '../../protocol/trace/decode-trace-records.ts';
import { readTraceFile, TraceFormatError } from '../../src/trace/trace-file.ts';
import { capturedTraceFile } from '../capture/captured-trace.ts';
import { capturedOps } from '../capture/osd-ops.ts';
import { capturedFrames, capturedMessages, capturedStreams, fixtureBytes, fixtureFiles, fixtureText } from './captured-inputs.ts';
import type { FuzzSample, FuzzTarget } from './fuzz-engine.ts';

/** Declares a target with its own sample type (the registry holds them as FuzzTarget). */
const target = <S extends FuzzSample>(t: FuzzTarget<S>): FuzzTarget => t;

/** The fixtures/ops captures (see its README), by name. */
/** Every `dir/*ext` fixture file as a sample labelled with its path. */
function fixtureSamples(dir: string, ext: string): Array<{ label: string; bytes: Uint8Array }> {
  return fixtureFiles(dir, ext).map((f) => ({ label: `${dir}/${f}`, bytes: fixtureBytes(dir, f) }));
}

const OPS_FIXTURES = fixtureFiles('ops', '.client.bin').map((f) => f.slice(0, -'.client.bin'.length));

/** A stream as the connection reads it: banner, then crc-mode frames until the bytes run out. */
async function decodeStream(b: Uint8Array): Promise<number> {
  if (b.length < BANNER_HEAD_LENGTH) return 0;
  const len = decodeBannerHead(b.subarray(0, BANNER_HEAD_LENGTH));
  if (b.length < BANNER_HEAD_LENGTH + len) return 0;
  decodeBannerPayload(b.subarray(BANNER_HEAD_LENGTH, BANNER_HEAD_LENGTH + len));
  const d = new FrameDecoder(new CrcFrameCodec());
  d.push(b.subarray(BANNER_HEAD_LENGTH + len));
  let n = 0;
  while (await d.next()) n++;
  return n;
}

/** The payload decoder of each control frame (what ProtocolV2 reads for that tag), and MESSAGE's header. */
const CONTROL: Record<number, (b: Uint8Array) => unknown> = {
  [Tag.HELLO]: decodeHello,
  [Tag.AUTH_REQUEST]: decodeAuthRequest,
  [Tag.AUTH_BAD_METHOD]: decodeAuthBadMethod,
  [Tag.AUTH_REPLY_MORE]: (b) => decodeAuthMore(b),
  [Tag.AUTH_REQUEST_MORE]: (b) => decodeAuthMore(b),
  [Tag.AUTH_DONE]: decodeAuthDone,
  [Tag.AUTH_SIGNATURE]: decodeAuthSignature,
  [Tag.CLIENT_IDENT]: decodeClientIdent,
  [Tag.SERVER_IDENT]: decodeServerIdent,
  [Tag.IDENT_MISSING_FEATURES]: decodeIdentMissingFeatures,
  [Tag.SESSION_RECONNECT]: decodeReconnect,
  [Tag.SESSION_RESET]: decodeReset,
  [Tag.SESSION_RETRY]: (b) => decodeU64Frame(b, 'retry.connect_seq'),
  [Tag.SESSION_RETRY_GLOBAL]: (b) => decodeU64Frame(b, 'retry_global.global_seq'),
  [Tag.SESSION_RECONNECT_OK]: (b) => decodeU64Frame(b, 'reconnect_ok.msg_seq'),
  [Tag.KEEPALIVE2]: decodeKeepalive,
  [Tag.KEEPALIVE2_ACK]: decodeKeepalive,
  [Tag.ACK]: (b) => decodeU64Frame(b, 'ack.seq'),
  [Tag.COMPRESSION_REQUEST]: decodeCompressionRequest,
  [Tag.COMPRESSION_DONE]: decodeCompressionDone,
  [Tag.MESSAGE]: decodeMessageHeader,
};

/** A message front with the header fields its decoder needs. */
interface MessageSample extends FuzzSample {
  type: number;
  version: number;
  data: Uint8Array;
}

/** Each message type's front decoder, as the client reads what it receives (maps decoded too). */
const MESSAGES: Record<number, (front: Uint8Array, s: MessageSample) => unknown> = {
  [MsgType.MON_MAP]: (f) => decodeMonMap(decodeMonMapMessage(f)),
  [MsgType.MON_SUBSCRIBE]: (f, s) => decodeMonSubscribe(f, s.version),
  [MsgType.MON_SUBSCRIBE_ACK]: decodeMonSubscribeAck,
  [MsgType.AUTH]: decodeAuthMessage,
  [MsgType.AUTH_REPLY]: decodeAuthReply,
  [MsgType.OSD_MAP]: (f, s) => {
    const m = decodeOsdMapMessage(f, s.version);
    for (const b of m.incrementals.values()) decodeIncremental(b);
    for (const b of m.fulls.values()) decodeOSDMap(b);
    return m;
  },
  [MsgType.OSD_OP]: (f, s) => decodeOsdOp(f, s.version),
  [MsgType.OSD_OPREPLY]: decodeOsdOpReply,
  [MsgType.WATCH_NOTIFY]: (f, s) => {
    // A notify's completion carries who acked and who timed out (read as WatchNotify.notify does).
    const m = decodeWatchNotify(f, s.data);
    return m.opcode === WatchNotifyOp.NOTIFY_COMPLETE ? decodeNotifyResult(m.data.length > 0 ? m.data : m.payload) : m;
  },
  [MsgType.MON_COMMAND]: decodeMonCommand,
  [MsgType.MON_COMMAND_ACK]: decodeMonCommandAck,
};

/** An OSDMap, full or incremental, out of an MOSDMap a monitor sent. */
async function mapsInMessages(kind: 'fulls' | 'incrementals'): Promise<FuzzSample[]> {
  const out: FuzzSample[] = [];
  for (const { label, message: m } of await capturedMessages()) {
    if (m.header.type !== MsgType.OSD_MAP) continue;
    for (const [epoch, bytes] of decodeOsdMapMessage(m.front, m.header.version)[kind]) out.push({ label: `${label} epoch ${epoch}`, bytes });
  }
  return out;
}

/** Decoders of the step outputs a client reads (op-steps.ts, watch-notify.ts), by op code. */
const STEP_OUTPUTS = new Map<number, (b: Uint8Array) => unknown>([
  [OsdOpCode.STAT, decodeStat],
  [OsdOpCode.OMAPGETVALS, decodeOmapVals],
  [OsdOpCode.OMAPGETKEYS, decodeOmapKeys],
  [OsdOpCode.OMAPGETVALSBYKEYS, (b) => decodeBlobMap(b, 'omap')],
  [OsdOpCode.GETXATTRS, (b) => decodeBlobMap(b, 'xattrs')],
  [OsdOpCode.SPARSE_READ, decodeSparseRead],
  [OsdOpCode.LIST_WATCHERS, decodeListWatchers],
]);

/** A call to a method we have a codec for, from fixtures/ops. */
interface ClsSample extends FuzzSample {
  cls: string;
  method: string;
}

/**
 * The object-class calls of fixtures/ops the OSD carried out (the op and the step succeeded), with
 * their input and output: a call Ceph refused may carry bytes no codec should read (librados-ops.c
 * sends `lock.unlock` the input "xyz" on purpose, answered -EINVAL).
 */
async function acceptedCalls(): Promise<Array<ClsSample & { input: Uint8Array; output: Uint8Array }>> {
  const text = new TextDecoder();
  const out: Array<ClsSample & { input: Uint8Array; output: Uint8Array }> = [];
  for (const name of OPS_FIXTURES)
    for (const o of await capturedOps(name)) {
      if (o.reply.result < 0) continue;
      for (const s of o.steps) {
        if (s.head.op !== OsdOpCode.CALL || s.rval < 0) continue;
        // ceph_osd_op.cls: class and method name lengths, then the names, then the method's input.
        const [cl, ml] = [s.head.union[0]!, s.head.union[1]!];
        const cls = text.decode(s.indata.subarray(0, cl));
        const method = text.decode(s.indata.subarray(cl, cl + ml));
        if (clsMethodByName(cls, method))
          out.push({ label: `ops/${name} ${cls}.${method} on ${o.op.oid}`, bytes: s.indata, cls, method, input: s.indata.subarray(cl + ml), output: s.outdata });
      }
    }
  return out;
}

/** A cephx payload and the step of the exchange that reads it. */
interface CephxSample extends FuzzSample {
  decode: (b: Uint8Array) => Promise<unknown>;
}

const OSD_SERVICE = EntityType.OSD;

/** A client that has read the monitor's real AUTH_DONE, so it holds that capture's tickets. */
async function authenticated(keyringText: string, authDone: Uint8Array): Promise<{ fresh: () => CephxClient; client: CephxClient }> {
  const key = parseKeyring(keyringText).get('client.admin')!.key;
  const fresh = (): CephxClient => new CephxClient({ name: parseEntityName('client.admin'), key, crypto: webCryptoProvider });
  const client = fresh();
  const d = decodeAuthDone(authDone);
  await client.monExchange().done(d.globalId, d.conMode, d.payload);
  return { fresh, client };
}

/** The cephx payloads of the crc captures (Pacific aes keys, Tentacle aes256k keys) and the MAuthReply of the secure ones. */
async function cephxSamples(): Promise<CephxSample[]> {
  const out: CephxSample[] = [];
  const frames = await capturedFrames();
  const segOf = (label: string, tag: number): Uint8Array | undefined => frames.find((f) => f.label.startsWith(`${label} `) && f.frame.tag === tag)?.frame.segments[0];
  for (const [dir, keyring] of [
    ['capture', 'capture/keyring'],
    ['cephx/tentacle-capture', 'cephx/tentacle-capture/keyring'],
  ] as const) {
    const keyText = fixtureText(...keyring.split('/'));
    const monServer = `${dir}/rados-mon.server.bin`;
    const monClient = `${dir}/rados-mon.client.bin`;
    const osdServer = `${dir}/rados-osd.server.bin`;
    const done = segOf(monServer, Tag.AUTH_DONE)!;
    const { fresh, client } = await authenticated(keyText, done);
    const osd = client.ticket(OSD_SERVICE)!;
    out.push(
      {
        label: `${monServer} AUTH_REPLY_MORE (CephXServerChallenge)`,
        bytes: segOf(monServer, Tag.AUTH_REPLY_MORE)!,
        decode: (b) => Promise.resolve(decodeServerChallenge(new Reader(decodeAuthMore(b)))),
      },
      {
        label: `${monClient} AUTH_REQUEST_MORE (CephXAuthenticate)`,
        bytes: segOf(monClient, Tag.AUTH_REQUEST_MORE)!,
        decode: (b) => {
          const r = new Reader(decodeAuthMore(b));
          r.skip(2, 'request_type');
          return Promise.resolve(decodeAuthenticate(r));
        },
      },
      {
        label: `${monServer} AUTH_DONE (tickets, connection secret)`,
        bytes: done,
        decode: async (b) => {
          const d = decodeAuthDone(b);
          return fresh().monExchange().done(d.globalId, d.conMode, d.payload);
        },
      },
      {
        label: `${osdServer} AUTH_REPLY_MORE (CephXAuthorizeChallenge)`,
        bytes: segOf(osdServer, Tag.AUTH_REPLY_MORE)!,
        decode: (b) =>
          decryptEncBl(osd.cipher, KeyUsage.AUTHORIZE_CHALLENGE, decodeAuthMore(b), 'CephXAuthorizeChallenge', (r) => {
            r.u8('CephXAuthorizeChallenge.struct_v');
            return r.u64('CephXAuthorizeChallenge.server_challenge');
          }),
      },
      {
        label: `${osdServer} AUTH_DONE (CephXAuthorizeReply)`,
        bytes: segOf(osdServer, Tag.AUTH_DONE)!,
        decode: (b) => decodeDecrypt(osd.cipher, KeyUsage.AUTHORIZE_REPLY, new Reader(decodeAuthDone(b).payload), 'CephXAuthorizeReply', decodeAuthorizeReply),
      },
    );
  }
  for (const dir of ['capture/secure', 'capture/secure/tentacle']) {
    const mine = frames.filter((f) => f.label.startsWith(`${dir}/rados-ts-secure.pcap session `));
    const done = mine.find((f) => f.frame.tag === Tag.AUTH_DONE)!;
    const reply = (await capturedMessages()).find((m) => m.label.startsWith(done.label.split(' frame ')[0]!) && m.message.header.type === MsgType.AUTH_REPLY)!;
    const keyText = fixtureText(...dir.split('/'), 'keyring');
    const doneBytes = done.frame.segments[0]!;
    await authenticated(keyText, doneBytes); // the sample must be readable with this keyring
    out.push({
      label: `${reply.label} MAuthReply (CEPHX_GET_PRINCIPAL_SESSION_KEY reply)`,
      bytes: reply.message.front,
      decode: async (b) => {
        // A fresh client per input: a mutated reply that decodes would otherwise change the
        // tickets the next input is read with, and a replay would not see the same state.
        const { client } = await authenticated(keyText, doneBytes);
        return client.handleTicketReply(decodeAuthReply(b).payload);
      },
    });
  }
  return out;
}

/** Every target, in the order the runner goes round them. */
export const fuzzTargets: readonly FuzzTarget[] = [
  target({
    name: 'msgr2-stream',
    about: 'whole captured msgr2.1 streams (banner, then frames through FrameDecoder in crc mode)',
    load: () => Promise.resolve(capturedStreams().filter((s) => s.bytes.length <= 256 * 1024)),
    decode: decodeStream,
    typed: [ProtocolError, FrameAbortedError, DecodeError],
  }),
  target({
    name: 'msgr2-frame-payloads',
    about: "each captured frame's segment 0 through its tag's decoder (HELLO, AUTH_*, IDENTs, MESSAGE header, …)",
    load: async () =>
      (await capturedFrames())
        .filter((f) => CONTROL[f.frame.tag] !== undefined)
        .map((f) => ({ label: f.label, bytes: f.frame.segments[0] ?? new Uint8Array(0), tag: f.frame.tag })),
    decode: (b: Uint8Array, s: FuzzSample & { tag: number }) => CONTROL[s.tag]!(b),
    typed: [DecodeError, ProtocolError],
  }),
  target({
    name: 'cephx',
    about: 'cephx payloads of the captured mon and OSD handshakes (Pacific aes, Tentacle aes256k) and MAuthReply ticket renewals, decrypted with their keyrings',
    load: cephxSamples,
    decode: (b: Uint8Array, s: CephxSample) => s.decode(b),
    typed: [DecodeError, AuthError],
  }),
  target({
    name: 'messages',
    about:
      'message fronts from the captures (MMonMap, MOSDMap with its maps, MOSDOp, MOSDOpReply, MWatchNotify with its notify result, MAuth, MAuthReply, MMonCommand[Ack], MMonSubscribe)',
    load: async (): Promise<MessageSample[]> =>
      (await capturedMessages())
        .filter(({ message: m }) => MESSAGES[m.header.type] !== undefined)
        .map(({ label, message: m }) => ({ label, bytes: m.front, type: m.header.type, version: m.header.version, data: m.data })),
    decode: (b: Uint8Array, s: MessageSample) => MESSAGES[s.type]!(b, s),
    typed: [DecodeError],
  }),
  target({
    name: 'osdmap-full',
    about: 'full OSDMaps: osdmaptool maps (fixtures/osdmap), Reef and Tentacle `ceph osd getmap` (fixtures/osdmap-releases), MOSDMap payloads',
    load: async () => [...fixtureSamples('osdmap', '.osdmap'), ...fixtureSamples('osdmap-releases', '.osdmap'), ...(await mapsInMessages('fulls'))],
    decode: decodeOSDMap,
    typed: [DecodeError],
  }),
  target({
    name: 'osdmap-incremental',
    about: 'OSDMap::Incremental payloads of the MOSDMaps a monitor sent (fixtures/osdmap-incremental)',
    load: () => mapsInMessages('incrementals'),
    decode: decodeIncremental,
    typed: [DecodeError],
  }),
  target({
    name: 'monmap',
    about: 'monmaptool maps (fixtures/monmap) and the MonMaps inside captured MMonMap messages',
    load: async () => [
      ...fixtureSamples('monmap', '.monmap'),
      ...(await capturedMessages()).filter((m) => m.message.header.type === MsgType.MON_MAP).map((m) => ({ label: m.label, bytes: decodeMonMapMessage(m.message.front) })),
    ],
    decode: decodeMonMap,
    typed: [DecodeError],
  }),
  target({
    name: 'crushmap',
    about: 'crushtool maps (fixtures/crush)',
    load: () => Promise.resolve(fixtureSamples('crush', '.crush')),
    decode: decodeCrushMap,
    typed: [DecodeError],
  }),
  target({
    name: 'cls-replies',
    about: "object-class outputs of the OSD's replies in fixtures/ops (cls_rbd, cls_lock), through the registry's decode",
    load: async () => (await acceptedCalls()).filter((c) => clsMethodByName(c.cls, c.method)?.access === 'read').map((c) => ({ ...c, bytes: c.output })),
    decode: (b: Uint8Array, s: ClsSample) => clsMethodByName(s.cls, s.method)!.decode(b),
    typed: [DecodeError],
  }),
  target({
    name: 'cls-inputs',
    about: "object-class inputs Ceph's clients (librbd, rados lock) sent in fixtures/ops, through the registry's decodeInput",
    load: async () => (await acceptedCalls()).map((c) => ({ ...c, bytes: c.input })),
    decode: (b: Uint8Array, s: ClsSample) => clsMethodByName(s.cls, s.method)!.decodeInput(b),
    typed: [DecodeError],
  }),
  target({
    name: 'osd-op-outputs',
    about: "the step outputs of the OSD's replies in fixtures/ops (stat, omap keys/vals, xattrs, list-watchers)",
    load: async () => {
      const out: Array<FuzzSample & { op: number }> = [];
      for (const name of OPS_FIXTURES)
        for (const o of await capturedOps(name))
          for (const s of o.steps)
            if (STEP_OUTPUTS.has(s.head.op) && o.reply.result >= 0 && s.rval >= 0)
              out.push({ label: `ops/${name} op ${s.head.op} on ${o.op.oid}`, bytes: s.outdata, op: s.head.op });
      return out;
    },
    decode: (b: Uint8Array, s: FuzzSample & { op: number }) => STEP_OUTPUTS.get(s.op)!(b),
    typed: [DecodeError],
  }),
  target({
    name: 'capture-files',
    about: 'the secure-mode pcaps (Pacific, Tentacle) through decodeCapture with their keyrings: pcap, TCP reassembly, msgr2 walk, cephx follow, AES-GCM',
    load: () =>
      Promise.resolve(
        ['capture/secure', 'capture/secure/tentacle'].map((dir) => ({
          label: `${dir}/rados-ts-secure.pcap`,
          bytes: fixtureBytes(...dir.split('/'), 'rados-ts-secure.pcap'),
          keyring: parseKeyring(fixtureText(...dir.split('/'), 'keyring')),
        })),
      ),
    decode: (b: Uint8Array, s: FuzzSample & { keyring: ReturnType<typeof parseKeyring> }) => decodeCapture(b, { keyring: s.keyring }),
    typed: [CaptureFormatError, DecodeError],
  }),
  target({
    name: 'trace-files',
    about: "a rados-ts trace file (.rtt) of librados' captured mon and OSD frames (fixtures/capture) through readTraceFile and decodeTraceRecords",
    load: async () => [{ label: 'fixtures/capture rados-mon + rados-osd as a trace file', bytes: (await capturedTraceFile()).bytes }],
    decode: async (b: Uint8Array) => decodeTraceRecords(await readTraceFile(b)),
    typed: [TraceFormatError],
  }),
];

/** The target named `name`. */
export const fuzzTargetNamed = (name: string): FuzzTarget | undefined => fuzzTargets.find((t) => t.name === name);

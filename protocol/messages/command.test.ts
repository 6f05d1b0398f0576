// MCommand / MCommandReply fronts, laid out by hand from src/messages/MCommand.h and
// MCommandReply.h (live: test/integration/admin-commands.test.ts compares results with librados).
import { describe, expect, it } from 'vitest';
import { Writer } from '../encoding/writer.ts';
import { decodeDaemonCommand, decodeDaemonCommandReply, encodeDaemonCommand, encodeDaemonCommandReply } from './command.ts';

const FSID = '01234567-89ab-cdef-0011-223344556677';

describe('MCommand', () => {
  it('fsid (16 raw bytes), vector<string> cmd', () => {
    const front = encodeDaemonCommand({ fsid: FSID, cmd: ['{"prefix": "version"}'] });
    const expected = new Writer()
      .bytes(new Uint8Array([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]))
      .u32(1)
      .string('{"prefix": "version"}')
      .finish();
    expect(front).toEqual(expected);
    expect(decodeDaemonCommand(front)).toEqual({ fsid: FSID, cmd: ['{"prefix": "version"}'] });
  });
});

describe('MCommandReply', () => {
  it('s32 r, string rs', () => {
    const front = new Writer().i32(-22).string('unknown command prefix x').finish();
    expect(decodeDaemonCommandReply(front)).toEqual({ r: -22, rs: 'unknown command prefix x' });
    expect(encodeDaemonCommandReply({ r: -22, rs: 'unknown command prefix x' })).toEqual(front);
  });
});

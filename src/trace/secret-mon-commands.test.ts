import { describe, expect, it } from 'vitest';
import { encodeMonCommand, encodeMonCommandAck } from '../../protocol/messages/mon-command.ts';
import { CLIENT_PAXOS_HEADER } from '../../protocol/messages/paxos-header.ts';
import { commandCarriesSecrets, monCommandOf } from './secret-mon-commands.ts';

const cmd = (o: object): string[] => [JSON.stringify(o)];

describe('commandCarriesSecrets', () => {
  it('names the auth family and the other commands whose data holds keys', () => {
    for (const prefix of [
      'auth get-key',
      'auth get',
      'auth export',
      'auth print-key',
      'auth ls',
      'auth get-or-create',
      'auth import',
      'auth add',
      'fs authorize',
      'osd new',
      'config-key get',
      'config-key set',
    ])
      expect(commandCarriesSecrets(cmd({ prefix, entity: 'client.x' })), prefix).toBe(true);
    expect(commandCarriesSecrets(cmd({ prefix: '  auth   get-key ' }))).toBe(true);
  });

  it('leaves the rest alone, and counts an unreadable command as secret', () => {
    for (const prefix of ['status', 'osd pool ls', 'osd dump', 'config set', 'authorize', 'config-key ls']) expect(commandCarriesSecrets(cmd({ prefix })), prefix).toBe(false);
    expect(commandCarriesSecrets(['not json'])).toBe(true);
    expect(commandCarriesSecrets(cmd({ format: 'json' }))).toBe(true);
  });
});

describe('monCommandOf', () => {
  it('reads the command of an MMonCommand and of the MMonCommandAck that echoes it', () => {
    const c = cmd({ prefix: 'auth get-key', entity: 'client.admin' });
    expect(monCommandOf(encodeMonCommand({ fsid: '00000000-0000-0000-0000-000000000001', cmd: c }), false)).toEqual(c);
    expect(monCommandOf(encodeMonCommandAck({ paxos: CLIENT_PAXOS_HEADER, r: 0, rs: '', cmd: c }), true)).toEqual(c);
    expect(monCommandOf(new Uint8Array(3), true)).toBeUndefined();
  });
});

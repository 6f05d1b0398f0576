// RadosConfig against librados itself before it connects (Python's rados.Rados(), no cluster
// needed): conf_parse_argv's remainder and values, conf_read_file's sections, conf_set's errnos.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RadosConfig, splitCephArgs } from './rados-config.ts';

/** Runs lines with `c = rados.Rados()` in scope; returns what they set `result` to. */
function librados(code: string): unknown {
  const script = `import json, rados\nc = rados.Rados()\n${code}\nprint(json.dumps(result))`;
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
}

describe('RadosConfig', () => {
  it('parseArgv takes known options (both spellings, --opt=value, -m) and returns the rest in order, as conf_parse_argv', () => {
    const args = ['prog', '--rados-osd-op-timeout', '9', 'foo', '--debug_ms=3', '-m', '1.2.3.4', '--no-such-option', 'x', '--mon-client-hunt-interval', '2'];
    const names = ['rados_osd_op_timeout', 'debug_ms', 'mon_host', 'mon_client_hunt_interval'];
    const theirs = librados(`rest = c.conf_parse_argv(${JSON.stringify(args)})\nresult = [rest, [c.conf_get(n) for n in ${JSON.stringify(names)}]]`) as [string[], string[]];
    const c = new RadosConfig();
    const rest = c.parseArgv(args, false);
    expect([rest, names.map((n) => c.get(n))]).toEqual(theirs);
  });

  it('readConf takes [global], [client] and [client.admin], the most specific winning, and skips other sections, as conf_read_file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rados-config-'));
    const text = '[global]\nrados osd op timeout = 13\ndebug ms = 1\n[client]\ndebug ms = 4/6\n[client.admin]\nosd pool default size = 2\n[osd]\ndebug rados = 9\n';
    writeFileSync(join(dir, 'c.conf'), text);
    const names = ['rados_osd_op_timeout', 'debug_ms', 'osd_pool_default_size', 'debug_rados'];
    const theirs = librados(`c.conf_read_file('${join(dir, 'c.conf')}')\nresult = [c.conf_get(n) for n in ${JSON.stringify(names)}]`) as string[];
    const c = new RadosConfig('client.admin');
    c.readConf(text);
    expect(names.map((n) => c.get(n))).toEqual(theirs);
  });

  it('set refuses as conf_set: unknown ENOENT, a bad value EINVAL; startup options EPERM only once running', () => {
    const cases: Array<[string, string]> = [
      ['no_such_option', '1'],
      ['objecter_inflight_ops', '0x10'],
      ['rados_osd_op_timeout', '2.5'],
      ['debug_ms', 'x'],
    ];
    const theirs = librados(
      `result = []\nfor n, v in ${JSON.stringify(cases)}:\n  try:\n    c.conf_set(n, v)\n    result.append(None)\n  except rados.Error as e:\n    result.append(e.errno)`,
    ) as Array<number | null>;
    const c = new RadosConfig();
    const ours = cases.map(([n, v]) => {
      try {
        c.set(n, v, false);
        return null;
      } catch (e) {
        return (e as { errno: number }).errno;
      }
    });
    expect(ours).toEqual(theirs);
    c.set('mon_host', '1.2.3.4', false);
    expect(() => c.set('mon_host', '1.2.3.5', true)).toThrow(expect.objectContaining({ errno: 1 }));
    expect(splitCephArgs(` --id admin  -m "a b" `)).toEqual(['--id', 'admin', '-m', 'a b']);
  });
});

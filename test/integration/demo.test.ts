// `npm run demo` works end to end on a cluster of its own (it boots one when CEPH_CONF is unset).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

describe('npm run demo', () => {
  it('connects, writes, reads, lists and cleans up', async () => {
    const env = { ...process.env };
    delete env['CEPH_CONF'];
    const { stdout } = await promisify(execFile)('node', ['dist/test/demo.js'], { env, timeout: 170_000 });
    expect(stdout).toContain('read back: Hello from rados-ts!');
    expect(stdout).toMatch(/objects: hello, object-0, object-1, object-2, object-3, object-4/);
    expect(stdout).toMatch(/'hello' lives in pg \d+\.[0-9a-f]+ on osds \[\d/);
    expect(stdout).toContain('[rbd] children of golden@base: ');
    expect(stdout).toMatch(/\[rbd\] children of golden@base: rados-ts-demo-\d+\/copy/);
    expect(stdout).toContain('[rbd] clone reads the same bytes as the parent');
    expect(stdout).toContain('[rbd]   flatten 100%');
    expect(stdout).toContain('[rbd] clone parent after flatten: none');
    expect(stdout).toContain('[rbd] images left: []');
    expect(stdout.trim().endsWith('done')).toBe(true);
  }, 180_000);
});

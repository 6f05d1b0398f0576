// cls_rbd namespace descriptors (src/cls/rbd/cls_rbd.cc, cls_rbd_client.cc): inputs laid out
// field by field, then against what librbd wrote and cls_rbd answered on a pacific cluster
// (fixtures/cls-rbd-namespace, see its README for the commands).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reader } from '../encoding/reader.ts';
import * as ns from './cls-rbd-namespace.ts';

interface Captured {
  rbdNamespaceOmap: Record<string, string>;
  tenant1DirectoryOmap: Record<string, string>;
  namespaceList: Array<{ startAfter: string; max: number; output: string }>;
}
const captured = JSON.parse(readFileSync(new URL('../../fixtures/cls-rbd-namespace/captured.json', import.meta.url), 'utf8')) as Captured;
const hex = (s: string): Uint8Array => new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);

describe('cls_rbd namespace descriptors', () => {
  it('name each method once; only namespace_list and dir_state_assert read', () => {
    const all = [ns.namespaceAdd, ns.namespaceRemove, ns.namespaceList, ns.dirStateSet, ns.dirStateAssert];
    expect(all.map((m) => `${m.cls}.${m.method}:${m.access}`)).toEqual([
      'rbd.namespace_add:write',
      'rbd.namespace_remove:write',
      'rbd.namespace_list:read',
      'rbd.dir_state_set:write',
      'rbd.dir_state_assert:read',
    ]);
  });

  it('namespace_add / namespace_remove: one string (le32 length, bytes)', () => {
    const b = ns.namespaceAdd.encode('tenant1');
    expect(b).toEqual(new Uint8Array([7, 0, 0, 0, ...new TextEncoder().encode('tenant1')]));
    expect(ns.namespaceRemove.encode('tenant1')).toEqual(b);
  });

  it('dir_state_set / dir_state_assert: the DirectoryState byte', () => {
    expect(ns.dirStateSet.encode(ns.DirectoryState.ADD_DISABLED)).toEqual(new Uint8Array([1]));
    expect(ns.dirStateAssert.encode(ns.DirectoryState.READY)).toEqual(new Uint8Array([0]));
  });
});

describe('against librbd and cls_rbd on pacific (fixtures/cls-rbd-namespace)', () => {
  it('rbd_namespace holds one empty-valued "name_<ns>" key per namespace `rbd namespace create` made', () => {
    const names = Object.keys(captured.rbdNamespaceOmap);
    expect(names.every((k) => k.startsWith(ns.NAMESPACE_KEY_PREFIX))).toBe(true);
    expect(names.map((k) => k.slice(ns.NAMESPACE_KEY_PREFIX.length))).toEqual(['ab', 'tenant1']);
    expect(Object.values(captured.rbdNamespaceOmap)).toEqual(['', '']);
  });

  it("a new namespace's rbd_directory holds state = READY, the byte dir_state_set sends", () => {
    expect(hex(captured.tenant1DirectoryOmap.state!)).toEqual(ns.dirStateSet.encode(ns.DirectoryState.READY));
  });

  it('namespace_list: our input is what cls_rbd_client sends; the output cls_rbd gave decodes to the names in key order', () => {
    for (const c of captured.namespaceList) {
      const input = ns.namespaceList.encode({ startAfter: c.startAfter, max: c.max });
      const r = new Reader(input);
      expect([r.string(), r.u64n()]).toEqual([c.startAfter, c.max]);
      r.expectEnd('input');
      expect(ns.namespaceList.decodeInput(input)).toEqual({ startAfter: c.startAfter, max: c.max });
    }
    expect(captured.namespaceList.map((c) => ns.namespaceList.decode(hex(c.output)))).toEqual([['ab', 'tenant1'], ['tenant1']]);
  });
});

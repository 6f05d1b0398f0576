// CLIENT_IDENT and SERVER_IDENT as the trace shows them, on librados' own OSD session (Pacific
// 16.2.15, fixtures/capture/rados-osd): the feature mask in hex, and in `fields.featureNames`
// each of its set bits by Ceph's name (src/include/ceph_features.h).
import { describe, expect, it } from 'vitest';
import { fixture, parseSession } from '../../test/capture/parse-session.ts';
import { featureNames } from '../feature-names.ts';
import { CLIENT_FEATURES } from '../features.ts';
import { Tag } from '../msgr2/tags.ts';
import { describeFrame } from './describe-frame.ts';

async function identOf(file: string, tag: number): Promise<Record<string, unknown>> {
  const f = (await parseSession(fixture(file))).frames.find((x) => x.frame.tag === tag)!;
  return describeFrame(f.frame).fields;
}

function bits(mask: bigint): number {
  let n = 0;
  for (let m = mask; m > 0n; m >>= 1n) n += Number(m & 1n);
  return n;
}

describe('IDENT frames: features by name', () => {
  it("CLIENT_IDENT: librados 16.2.15's 50 feature bits, each named", async () => {
    const fields = await identOf('rados-osd.client.bin', Tag.CLIENT_IDENT);
    expect(fields['features']).toBe(`0x${CLIENT_FEATURES.toString(16)}`);
    const names = fields['featureNames'] as string[];
    expect(names).toHaveLength(50);
    expect(names).toEqual(featureNames(CLIENT_FEATURES));
    expect(names).toEqual(expect.arrayContaining(['MSG_ADDR2', 'CEPHX_V2', 'SERVER_NAUTILUS', 'SERVER_PACIFIC', 'NEW_OSDOP_ENCODING']));
    expect(names).not.toContain('SERVER_QUINCY');
  });

  it("SERVER_IDENT: the Pacific OSD's features, every set bit named once", async () => {
    const fields = await identOf('rados-osd.server.bin', Tag.SERVER_IDENT);
    const mask = BigInt(fields['features'] as string);
    const names = fields['featureNames'] as string[];
    expect(names).toHaveLength(bits(mask));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(featureNames(mask));
    expect(names).toEqual(expect.arrayContaining(['MSG_ADDR2', 'SERVER_OCTOPUS', 'SERVER_PACIFIC']));
    expect(names).not.toContain('SERVER_QUINCY');
  });
});

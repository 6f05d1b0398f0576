// Feature names against the bits this library itself relies on (features.ts) and the client
// feature set librados 16.2.15 sends (CLIENT_IDENT in fixtures/capture: 0x3f01cfbdfffdffff).
import { describe, expect, it } from 'vitest';
import { featureNames } from './feature-names.ts';
import { CLIENT_FEATURES, FEATURE_MSG_ADDR2, FEATURE_SERVER_NAUTILUS } from './features.ts';

describe('feature names', () => {
  it('names each set bit once, lowest first', () => {
    expect(featureNames(0n)).toEqual([]);
    expect(featureNames(FEATURE_MSG_ADDR2)).toEqual(['MSG_ADDR2']);
    expect(featureNames(FEATURE_SERVER_NAUTILUS | 1n)).toEqual(['UID', 'SERVER_NAUTILUS']);
    expect(featureNames(0xffffffffffffffffn)).toHaveLength(64);
    expect(new Set(featureNames(0xffffffffffffffffn)).size).toBe(64);
  });

  it("librados 16.2.15's client features: 50 bits, among them the ones msgr2 and cephx v2 need", () => {
    expect(CLIENT_FEATURES).toBe(0x3f01cfbdfffdffffn);
    const names = featureNames(CLIENT_FEATURES);
    expect(names).toHaveLength(50);
    expect(names).toEqual(expect.arrayContaining(['MSG_ADDR2', 'CEPHX_V2', 'SERVER_NAUTILUS', 'SERVER_PACIFIC', 'NEW_OSDOP_ENCODING', 'CRUSH_V4']));
    expect(names).not.toContain('SERVER_QUINCY');
  });
});

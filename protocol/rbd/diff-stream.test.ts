import { describe, expect, it } from 'vitest';
import { decodeDiffStream, type DiffRecord, encodeDiffEnd, encodeDiffHeader, encodeDiffWrite, encodeDiffZero } from './diff-stream.ts';
import { concatBytes } from '../encoding/concat-bytes.ts';

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const ascii = (s: string): string => hex(new TextEncoder().encode(s));

async function* chunked(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function records(b: Uint8Array, size: number): Promise<DiffRecord[]> {
  const out: DiffRecord[] = [];
  for await (const r of decodeDiffStream(chunked(b, size))) out.push(r);
  return out;
}

describe('rbd export-diff stream (format 1)', () => {
  it('header: banner, f/t names (le32 length), s size (le64)', () => {
    expect(hex(encodeDiffHeader({ fromSnap: 'a', toSnap: 'bc', size: 0x10203 }))).toBe(
      ascii('rbd diff v1\n') + '66' + '01000000' + ascii('a') + '74' + '02000000' + ascii('bc') + '73' + '0302010000000000',
    );
    expect(hex(encodeDiffHeader({ size: 1 }))).toBe(ascii('rbd diff v1\n') + '73' + '0100000000000000');
  });

  it('w, z and e records', () => {
    expect(hex(encodeDiffWrite(0x100, Uint8Array.of(9, 8)))).toBe('77' + '0001000000000000' + '0200000000000000' + '0908');
    expect(hex(encodeDiffZero(5, 0x1000))).toBe('7a' + '0500000000000000' + '0010000000000000');
    expect(hex(encodeDiffEnd())).toBe('65');
  });

  it('decodes what it encodes, whatever the chunking', async () => {
    const stream = concatBytes([
      encodeDiffHeader({ fromSnap: 's1', toSnap: 's2', size: 4096 }),
      encodeDiffWrite(10, Uint8Array.of(1, 2, 3)),
      encodeDiffZero(100, 200),
      encodeDiffEnd(),
    ]);
    const want: DiffRecord[] = [
      { type: 'from', name: 's1' },
      { type: 'to', name: 's2' },
      { type: 'size', size: 4096 },
      { type: 'write', offset: 10, data: Uint8Array.of(1, 2, 3) },
      { type: 'zero', offset: 100, length: 200 },
      { type: 'end' },
    ];
    for (const size of [1, 3, 7, 1000]) expect(await records(stream, size)).toEqual(want);
  });

  it('refuses a wrong banner, an unknown tag, a stream cut short (EINVAL)', async () => {
    await expect(records(new TextEncoder().encode('rbd diff v2\n'), 100)).rejects.toMatchObject({ errno: 22 });
    await expect(records(concatBytes([encodeDiffHeader({ size: 1 }), Uint8Array.of(0x71)]), 100)).rejects.toMatchObject({ errno: 22 });
    await expect(records(encodeDiffHeader({ size: 1 }), 100)).rejects.toMatchObject({ errno: 22 });
    await expect(records(concatBytes([encodeDiffHeader({ size: 1 }), encodeDiffWrite(0, Uint8Array.of(1, 2)).subarray(0, 18)]), 100)).rejects.toMatchObject({ errno: 22 });
  });
});

/** Stored action signatures: runs compressed, earlier plain lists still read (durable/store.ts). */
import { describe, expect, it } from 'vitest';
import { decodeSignatures, encodeSignatures } from '../../../src/local-host/durable/store-instances';

describe('action signature storage', () => {
  it('stores a run of identical signatures as one entry and reads it back', () => {
    const loop = Array.from({ length: 1000 }, () => '0:noop');
    const text = encodeSignatures(loop);
    expect(text).toBe('[["0:noop",1000]]');
    expect(decodeSignatures(text)).toEqual(loop);
  });

  it('keeps order and single entries as they are', () => {
    const mixed = ['0:a', '0:a', '12[0:b,0:c]', '6:approval', '0:a'];
    expect(JSON.parse(encodeSignatures(mixed))).toEqual([['0:a', 2], '12[0:b,0:c]', '6:approval', '0:a']);
    expect(decodeSignatures(encodeSignatures(mixed))).toEqual(mixed);
    expect(decodeSignatures(encodeSignatures([]))).toEqual([]);
  });

  it('reads the plain list earlier versions wrote', () => {
    expect(decodeSignatures('["0:a","0:a","5:"]')).toEqual(['0:a', '0:a', '5:']);
  });
});

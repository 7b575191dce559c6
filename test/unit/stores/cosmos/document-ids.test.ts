import { describe, expect, it } from 'vitest';
import { documentIdFor } from '../../../../src/stores/cosmos/document-ids';

describe('Cosmos document ids for caller-supplied keys', () => {
  it('keeps a safe key readable and hashes the rest', () => {
    expect(documentIdFor('', 'trip-1:step-4')).toBe('trip-1:step-4');
    expect(documentIdFor('', 'a/b')).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it('never gives a literal key the id of another key’s hash (squatting)', () => {
    const hashed = documentIdFor('', 'client/key?#');
    expect(documentIdFor('', hashed)).not.toBe(hashed);
    expect(documentIdFor('p:', hashed)).not.toBe(documentIdFor('p:', 'client/key?#'));
    expect(documentIdFor('', 'SHA256-abc')).not.toBe('SHA256-abc');
  });
});

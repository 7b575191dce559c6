import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/mcp-servers/shared/seeded-random';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed, whatever the key order', () => {
    const a = SeededRandom.from({ route: 'LHR-JFK', date: '2027-03-15' });
    const b = SeededRandom.from({ date: '2027-03-15', route: 'LHR-JFK' });
    const draws = (random: SeededRandom) => Array.from({ length: 50 }, () => random.nextUint32());
    expect(draws(a)).toEqual(draws(b));
  });

  it('gives different sequences for nearby seeds', () => {
    const first = SeededRandom.from(['flights', 1]).nextUint32();
    const second = SeededRandom.from(['flights', 2]).nextUint32();
    expect(first).not.toBe(second);
  });

  it('keeps its helpers inside their bounds and spreads values over them', () => {
    const random = SeededRandom.from('bounds');
    const ints = Array.from({ length: 2000 }, () => random.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    const floats = Array.from({ length: 2000 }, () => random.between(10, 20));
    expect(floats.every((value) => value >= 10 && value < 20)).toBe(true);
    const mean = floats.reduce((sum, value) => sum + value, 0) / floats.length;
    expect(mean).toBeGreaterThan(14.5);
    expect(mean).toBeLessThan(15.5);
  });

  it('samples distinct items', () => {
    const picked = SeededRandom.from('sample').sample(['a', 'b', 'c', 'd', 'e'], 4);
    expect(new Set(picked).size).toBe(4);
  });
});

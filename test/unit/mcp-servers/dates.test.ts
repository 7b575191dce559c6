import { describe, expect, it } from 'vitest';
import {
  isoDateSchema,
  localTimeToInstant,
  toLocalIso,
  utcOffsetMinutes,
} from '../../../src/mcp-servers/shared/dates';

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isoDateSchema.safeParse('2028-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2027-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse('2027-03-41').success).toBe(false);
    expect(isoDateSchema.safeParse('15/03/2027').success).toBe(false);
  });

  it('follows daylight saving time in local times', () => {
    expect(utcOffsetMinutes('Europe/Paris', new Date('2027-01-15T12:00:00Z'))).toBe(60);
    expect(utcOffsetMinutes('Europe/Paris', new Date('2027-07-15T12:00:00Z'))).toBe(120);
    expect(utcOffsetMinutes('Asia/Kolkata', new Date('2027-07-15T12:00:00Z'))).toBe(330);
    const summerMorning = localTimeToInstant('2027-07-15', 8 * 60 + 30, 'Europe/Paris');
    expect(summerMorning.toISOString()).toBe('2027-07-15T06:30:00.000Z');
    expect(toLocalIso(summerMorning, 'Europe/Paris')).toBe('2027-07-15T08:30:00+02:00');
    expect(toLocalIso(summerMorning, 'America/New_York')).toBe('2027-07-15T02:30:00-04:00');
  });
});

import { describe, expect, it } from 'vitest';
import { dateRange } from '../../../src/mcp-servers/shared/dates';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import { climateLimitations, dailyClimate, meanTemperatureC } from '../../../src/mcp-servers/weather/climate';

function monthlyAverageHigh(place: string, month: string): number {
  const city = resolveCity(place)!;
  const days = dateRange(`2027-${month}-01`, `2027-${month}-28`).map((date) => dailyClimate(city, date));
  return days.reduce((sum, day) => sum + day.highC, 0) / days.length;
}

describe('climate model', () => {
  it('makes Patagonia warmer in January than in July (southern summer)', () => {
    expect(monthlyAverageHigh('Ushuaia', '01')).toBeGreaterThan(monthlyAverageHigh('Ushuaia', '07') + 5);
    expect(monthlyAverageHigh('Punta Arenas', '01')).toBeGreaterThan(
      monthlyAverageHigh('Punta Arenas', '07'),
    );
  });

  it('makes the north warmer in July, and keeps the tropics nearly even', () => {
    expect(monthlyAverageHigh('London', '07')).toBeGreaterThan(monthlyAverageHigh('London', '01') + 10);
    expect(
      Math.abs(monthlyAverageHigh('Singapore', '07') - monthlyAverageHigh('Singapore', '01')),
    ).toBeLessThan(3);
    expect(monthlyAverageHigh('Singapore', '01')).toBeGreaterThan(monthlyAverageHigh('Oslo', '07'));
  });

  it('cools with altitude', () => {
    const bogota = resolveCity('Bogota')!;
    expect(bogota.elevationM).toBeGreaterThan(2000);
    expect(meanTemperatureC(bogota, '2027-04-01')).toBeLessThan(
      meanTemperatureC({ ...bogota, elevationM: 0 }, '2027-04-01') - 10,
    );
  });

  it('puts high cities near their observed yearly means (surface lapse rate, not free air)', () => {
    // Observed annual means: Bogotá ~14 °C, Quito ~14 °C, La Paz ~8 °C, Addis Ababa ~16 °C.
    const yearlyMean = (place: string) => {
      const city = resolveCity(place)!;
      const days = dateRange('2027-01-01', '2027-12-31');
      return days.reduce((sum, day) => sum + meanTemperatureC(city, day), 0) / days.length;
    };
    expect(yearlyMean('Bogotá')).toBeGreaterThan(11);
    expect(yearlyMean('Bogotá')).toBeLessThan(17);
    expect(yearlyMean('Quito')).toBeGreaterThan(11);
    expect(yearlyMean('La Paz')).toBeGreaterThan(4);
    expect(yearlyMean('La Paz')).toBeLessThan(11);
    expect(yearlyMean('Addis Ababa')).toBeGreaterThan(12);
  });

  it('states its gaps: coasts and oceans always, altitude when high or unknown', () => {
    expect(climateLimitations(resolveCity('London')!)).toEqual([expect.stringMatching(/Coasts and oceans/)]);
    expect(climateLimitations(resolveCity('La Paz')!)[1]).toMatch(/High altitude \(about 3,640 m\)/);
    expect(climateLimitations(resolveCity('AAL')!)[1]).toMatch(/Elevation unknown/);
  });

  it('is deterministic per place and day, with consistent values', () => {
    const london = resolveCity('London')!;
    expect(dailyClimate(london, '2027-01-10')).toEqual(dailyClimate(london, '2027-01-10'));
    for (const date of dateRange('2027-01-01', '2027-12-31').filter((_, i) => i % 7 === 0)) {
      const day = dailyClimate(london, date);
      expect(day.highC).toBeGreaterThan(day.lowC);
      expect(day.precipitationChance).toBeGreaterThan(0);
      expect(day.precipitationChance).toBeLessThan(1);
      expect(day.precipitationMm === 0).toBe(['sunny', 'partly cloudy', 'cloudy'].includes(day.conditions));
    }
  });
});

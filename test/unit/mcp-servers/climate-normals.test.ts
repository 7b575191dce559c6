import { describe, expect, it } from 'vitest';
import { dateRange } from '../../../src/mcp-servers/shared/dates';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import { CLIMATE_NORMALS } from '../../../src/mcp-servers/weather/climate-normals';
import { climateFor } from '../../../src/mcp-servers/weather/climate';

function month(place: string, from: string, to: string) {
  const city = resolveCity(place)!;
  const climate = climateFor(city);
  const days = dateRange(from, to).map((date) => climate.day(date));
  return {
    basis: climate.basis,
    source: climate.source,
    averageHigh: days.reduce((sum, day) => sum + day.highC, 0) / days.length,
    wetDays: days.filter((day) => day.precipitationMm > 0).length,
  };
}

describe('climate from monthly normals', () => {
  it('gives Reykjavík January highs of about +3 °C, from the normals, with the source named', () => {
    const january = month('Reykjavík', '2027-01-01', '2027-01-31');
    expect(january.basis).toBe('normals');
    expect(january.source).toMatch(/Icelandic Met Office/);
    expect(january.averageHigh).toBeGreaterThan(1.5);
    expect(january.averageHigh).toBeLessThan(4.5);
  });

  it('keeps Dubai dry in July and hot', () => {
    const july = month('Dubai', '2027-07-01', '2027-07-31');
    expect(july.wetDays).toBeLessThanOrEqual(1);
    expect(month('Dubai', '2027-07-10', '2027-07-14').wetDays).toBe(0);
    expect(july.averageHigh).toBeGreaterThan(38);
  });

  it('keeps the latitude estimate as a labelled fallback for a place without normals', () => {
    const fallback = month('El Calafate', '2027-01-01', '2027-01-31');
    expect(fallback.basis).toBe('estimate');
    expect(fallback.source).toMatch(/latitude/);
  });

  it('has twelve sane months for every city it lists', () => {
    for (const [key, normals] of Object.entries(CLIMATE_NORMALS)) {
      for (const series of [normals.highC, normals.lowC, normals.precipitationMm, normals.wetDays]) {
        expect(series, key).toHaveLength(12);
      }
      normals.highC.forEach((high, m) =>
        expect(high, `${key} month ${m + 1}`).toBeGreaterThan(normals.lowC[m]),
      );
      normals.wetDays.forEach((days) => expect(days, key).toBeLessThanOrEqual(31));
      normals.precipitationMm.forEach((mm) => expect(mm, key).toBeGreaterThanOrEqual(0));
      expect(normals.source.length, key).toBeGreaterThan(10);
    }
  });
});

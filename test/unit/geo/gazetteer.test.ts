import { describe, expect, it } from 'vitest';
import { findAirports } from 'airport-data-js';
import { readScheduledAirports } from '../../../src/geo/airport-source';
import { AIRPORT_DATA_ATTRIBUTION, allCities, getGazetteer } from '../../../src/geo';

describe('the gazetteer build', () => {
  it('reads the same scheduled airports as the package’s public API', async () => {
    const { rows, rejected } = readScheduledAirports();
    const viaApi = (await findAirports({ has_scheduled_service: true })).filter((row) => row.iata !== '');
    expect(rejected).toBe(0);
    expect(rows.map((row) => row.iata).sort()).toEqual(viaApi.map((row) => row.iata).sort());
    const ber = viaApi.find((row) => row.iata === 'BER');
    expect(rows.find((row) => row.iata === 'BER')).toMatchObject({
      airport: ber?.airport,
      latitude: ber?.latitude,
      time: ber?.time,
    });
  });

  it('has a healthy city table: every airport offered, one city per airport, no name used twice', () => {
    const { report, cities } = getGazetteer();
    expect(report.tableIssues).toEqual([]);
    expect(cities.length).toBeGreaterThan(250);
    const seen = new Set<string>();
    for (const city of allCities()) {
      expect(city.airports[0]?.iata, city.name).toBe(city.key);
      expect(city.timeZone, city.name).toBe(city.airports[0]?.timeZone);
      for (const airport of city.airports) {
        expect(seen.has(airport.iata), airport.iata).toBe(false);
        seen.add(airport.iata);
        expect(airport.cityName).toBe(city.name);
      }
    }
  });

  it('offers only airports with scheduled service and a valid time zone', async () => {
    const scheduled = new Set((await findAirports({ has_scheduled_service: true })).map((row) => row.iata));
    expect(scheduled.has('TXL')).toBe(false);
    expect(scheduled.has('ISL')).toBe(false);
    const { airports, report } = getGazetteer();
    expect(report.offeredAirports).toBe(airports.size);
    expect(airports.size).toBeGreaterThan(4000);
    for (const airport of airports.values()) {
      expect(airport.iata).toMatch(/^[A-Z]{3}$/);
      expect(scheduled.has(airport.iata), airport.iata).toBe(true);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: airport.timeZone })).not.toThrow();
      expect(airport.elevationM).toBeUndefined();
    }
    // Civil flights to Ukraine are suspended; the source still marks its airports scheduled.
    expect(report.withheld.KBP).toMatch(/closed/);
    expect(airports.has('KBP')).toBe(false);
  });

  it('carries the attribution the CC BY 4.0 licence asks for', () => {
    expect(AIRPORT_DATA_ATTRIBUTION).toMatch(/airport-data-js.*CC BY 4\.0/);
  });
});

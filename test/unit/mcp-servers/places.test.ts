import { describe, expect, it } from 'vitest';
import { greatCircleKm } from '../../../src/mcp-servers/shared/geo';
import {
  airportByIata,
  cityOfAirport,
  normalizeName,
  resolveAirport,
  resolveCity,
} from '../../../src/mcp-servers/shared/places';

describe('places (OpenFlights airports)', () => {
  it('finds airports by IATA code with their real data', () => {
    const heathrow = airportByIata('LHR');
    expect(heathrow).toMatchObject({
      name: 'London Heathrow Airport',
      city: 'London',
      country: 'United Kingdom',
      timeZone: 'Europe/London',
    });
    expect(heathrow?.latitude).toBeCloseTo(51.47, 1);
  });

  it('resolves a city to its main airport, ignoring case and diacritics', () => {
    expect(resolveCity('london')?.mainAirport.iata).toBe('LHR');
    expect(resolveCity('PARIS')?.mainAirport.iata).toBe('CDG');
    expect(resolveCity('Rome')?.mainAirport.iata).toBe('FCO');
    expect(resolveCity('São Paulo')?.mainAirport.iata).toBe('GRU');
    expect(resolveCity('sao paulo')?.mainAirport.iata).toBe('GRU');
    expect(resolveCity('Zürich')?.mainAirport.iata).toBe('ZRH');
    expect(normalizeName('Tel-aviv')).toBe('tel aviv');
  });

  it('prefers the big city over a small namesake, and takes a country to disambiguate', () => {
    expect(resolveCity('Sydney')?.country).toBe('Australia');
    expect(resolveCity('London')?.country).toBe('United Kingdom');
    expect(resolveCity('London, Canada')?.mainAirport.iata).toBe('YXU');
  });

  it('keeps an explicitly named secondary airport for flights, and maps it to its city for stays', () => {
    expect(resolveAirport('LGW')?.iata).toBe('LGW');
    expect(resolveAirport('London')?.iata).toBe('LHR');
    expect(cityOfAirport('LGW')?.key).toBe('LHR');
  });

  it('knows common names the data set files elsewhere, and rejects unknown places', () => {
    expect(resolveCity('Milan')?.mainAirport.iata).toBe('MXP');
    expect(resolveCity('Reykjavik')?.mainAirport.iata).toBe('KEF');
    expect(resolveCity('Atlantis')).toBeUndefined();
    expect(resolveAirport('QQQ')).toBeUndefined();
  });

  it('measures great-circle distances', () => {
    const km = greatCircleKm(airportByIata('LHR')!, airportByIata('JFK')!);
    expect(km).toBeGreaterThan(5500);
    expect(km).toBeLessThan(5600); // ≈ 5,540 km
    expect(greatCircleKm(airportByIata('SYD')!, airportByIata('SYD')!)).toBe(0);
  });
});

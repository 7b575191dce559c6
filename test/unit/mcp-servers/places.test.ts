import { describe, expect, it } from 'vitest';
import { greatCircleKm } from '../../../src/mcp-servers/shared/geo';
import {
  airportByIata,
  destinationByKey,
  destinationOfAirport,
  resolveAirport,
  resolveCity,
} from '../../../src/mcp-servers/shared/places';

describe("the tool servers' places (over src/geo)", () => {
  it('resolves a city to its main airport, and keeps an explicitly named airport for flights', () => {
    expect(resolveAirport('London')?.iata).toBe('LHR');
    expect(resolveAirport('LGW')?.iata).toBe('LGW');
    expect(resolveAirport('Berlin')?.iata).toBe('BER');
    expect(resolveAirport('Köln')?.iata).toBe('CGN');
    expect(resolveAirport('TXL')).toBeUndefined();
  });

  it('maps an airport to its city for stays, meals and weather', () => {
    expect(resolveCity('LGW')).toMatchObject({ key: 'LHR', kind: 'city', name: 'London', country: 'GB' });
    expect(resolveCity('Praha')).toMatchObject({ key: 'PRG', name: 'Prague', countryName: 'Czechia' });
    expect(resolveCity('Bogotá')?.elevationM).toBeGreaterThan(2500);
  });

  it('offers the area around an airport outside the city table, named after it, with no invented elevation', () => {
    const aalborg = resolveCity('AAL');
    expect(aalborg).toMatchObject({ key: 'AAL', kind: 'airport_area', name: 'Aalborg', country: 'DK' });
    expect(aalborg?.elevationM).toBeUndefined();
    expect(destinationByKey('AAL')).toEqual(aalborg);
    expect(destinationOfAirport(airportByIata('AAL')!)).toEqual(aalborg);
  });

  it('accepts only stable keys: a city key or an airport-area code, not a secondary airport', () => {
    expect(destinationByKey('LHR')?.name).toBe('London');
    expect(destinationByKey('LGW')).toBeUndefined();
    expect(destinationByKey('TXL')).toBeUndefined();
  });

  it('serves towns without an airport from their nearest airports, under a stable town key', () => {
    for (const [query, airport, country] of [
      ['Zermatt', 'MXP', 'CH'],
      ['Hallstatt', 'SZG', 'AT'],
      ['Kyoto', 'ITM', 'JP'],
      ['Portland, Maine', 'PWM', 'US'],
    ] as const) {
      const town = resolveCity(query);
      expect(town, query).toMatchObject({ kind: 'town', country, mainAirport: { iata: airport } });
      expect(town!.key).toMatch(/^[TS]\d+$/);
      expect(destinationByKey(town!.key)).toMatchObject({ key: town!.key, name: town!.name });
    }
    // A region or a country: where its main airport is.
    expect(resolveCity('Alpes-Maritimes')).toMatchObject({ name: 'Nice', key: 'NCE' });
    expect(destinationByKey('T0')).toBeUndefined();
  });

  it('rejects unknown places', () => {
    expect(resolveCity('Narnia')).toBeUndefined();
    expect(resolveAirport('QQQ')).toBeUndefined();
  });

  it('measures great-circle distances', () => {
    const km = greatCircleKm(airportByIata('LHR')!, airportByIata('JFK')!);
    expect(km).toBeGreaterThan(5500);
    expect(km).toBeLessThan(5600); // ≈ 5,540 km
    expect(greatCircleKm(airportByIata('SYD')!, airportByIata('SYD')!)).toBe(0);
  });
});

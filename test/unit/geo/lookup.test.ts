import { describe, expect, it } from 'vitest';
import {
  airportByIata,
  cityByKey,
  cityOfAirport,
  getGazetteer,
  lookupPlace,
  type PlaceMatch,
} from '../../../src/geo';

const cityKey = (match: PlaceMatch | undefined) =>
  match?.kind === 'city'
    ? match.city.key
    : match?.kind === 'airport'
      ? `airport:${match.airport.iata}`
      : undefined;
const airportsOf = (text: string) => {
  const match = lookupPlace(text);
  return match?.kind === 'city' ? match.city.airports.map((airport) => airport.iata) : undefined;
};

describe('gazetteer lookups', () => {
  it('resolves BER, DOH and IST to the airports open today', () => {
    expect(airportByIata('BER')).toMatchObject({
      name: 'Berlin Brandenburg Airport',
      cityName: 'Berlin',
      country: 'DE',
      timeZone: 'Europe/Berlin',
    });
    expect(airportByIata('DOH')).toMatchObject({
      name: 'Hamad International Airport',
      cityName: 'Doha',
      country: 'QA',
      timeZone: 'Asia/Qatar',
    });
    expect(airportByIata('IST')).toMatchObject({
      name: 'Istanbul Airport',
      cityName: 'Istanbul',
      country: 'TR',
      timeZone: 'Europe/Istanbul',
    });
    expect(airportsOf('Berlin')).toEqual(['BER']);
    expect(airportsOf('Doha')).toEqual(['DOH']);
    expect(airportsOf('Istanbul')).toEqual(['IST', 'SAW']);
  });

  it('never offers closed airports: Tegel, Atatürk, old Siem Reap, Schönefeld', () => {
    for (const code of ['TXL', 'ISL', 'REP', 'SXF']) {
      expect(airportByIata(code), code).toBeUndefined();
      expect(lookupPlace(code), code).toBeUndefined();
    }
    // The source lists PAR as an "airport"; it is the metropolitan code of all Paris airports.
    expect(airportByIata('PAR')).toBeUndefined();
    expect(cityKey(lookupPlace('PAR'))).toBe('CDG');
    expect(getGazetteer().report.withheld.REP).toMatch(/closed/);
  });

  it('lists the airports of multi-airport cities, most important first', () => {
    expect(airportsOf('London')).toEqual(['LHR', 'LGW', 'STN', 'LTN', 'LCY', 'SEN']);
    expect(airportsOf('New York')).toEqual(['JFK', 'EWR', 'LGA']);
    expect(airportsOf('new york city')).toEqual(['JFK', 'EWR', 'LGA']);
    expect(airportsOf('NYC')).toEqual(['JFK', 'EWR', 'LGA']);
    expect(airportsOf('LON')).toEqual(['LHR', 'LGW', 'STN', 'LTN', 'LCY', 'SEN']);
    expect(cityOfAirport('LGW')?.key).toBe('LHR');
    expect(cityByKey('LHR')?.name).toBe('London');
    expect(cityByKey('LGW')).toBeUndefined();
  });

  it('accepts native and English names, with or without accents', () => {
    for (const [a, b, key] of [
      ['Köln', 'Cologne', 'CGN'],
      ['Praha', 'Prague', 'PRG'],
      ['Zürich', 'Zurich', 'ZRH'],
      ['Lisboa', 'Lisbon', 'LIS'],
      ['München', 'Munich', 'MUC'],
      ['São Paulo', 'sao paulo', 'GRU'],
    ] as const) {
      expect(cityKey(lookupPlace(a)), a).toBe(key);
      expect(cityKey(lookupPlace(b)), b).toBe(key);
    }
    expect(cityKey(lookupPlace('Koeln'))).toBe('CGN');
    expect(cityKey(lookupPlace('zuerich'))).toBe('ZRH');
    expect(cityKey(lookupPlace('KÖLN'))).toBe('CGN');
    expect(cityKey(lookupPlace('  st. petersburg '))).toBe('LED');
    expect(cityKey(lookupPlace('Bombay'))).toBe('BOM');
  });

  it('serves the Patagonia destinations with their own time zones and coordinates', () => {
    const expected = {
      'El Calafate': 'FTE',
      Ushuaia: 'USH',
      'Puerto Natales': 'PNT',
      'Punta Arenas': 'PUQ',
      Bariloche: 'BRC',
    };
    for (const [name, code] of Object.entries(expected)) {
      const match = lookupPlace(name);
      expect(match?.kind === 'city' && match.city.key, name).toBe(code);
    }
    const ushuaia = lookupPlace('ushuaia');
    expect(ushuaia?.kind === 'city' && ushuaia.city).toMatchObject({
      country: 'AR',
      countryName: 'Argentina',
      timeZone: 'America/Argentina/Ushuaia',
    });
    expect(ushuaia?.kind === 'city' && ushuaia.city.lat).toBeCloseTo(-54.84, 1);
  });

  it('reads codes: airports as airports (with their city), metro codes as cities', () => {
    expect(lookupPlace('CGN')).toMatchObject({
      kind: 'airport',
      airport: { iata: 'CGN' },
      city: { key: 'CGN' },
    });
    expect(lookupPlace('lgw')).toMatchObject({
      kind: 'airport',
      airport: { iata: 'LGW' },
      city: { name: 'London' },
    });
    expect(lookupPlace('GOA')).toMatchObject({ kind: 'airport', airport: { iata: 'GOA' } }); // Genoa
    expect(lookupPlace('Goa')).toMatchObject({ kind: 'city', city: { key: 'GOI' } });
    expect(lookupPlace('Heathrow')).toMatchObject({ kind: 'airport', airport: { iata: 'LHR' } });
    expect(lookupPlace('Berlin Brandenburg Airport')).toMatchObject({
      kind: 'airport',
      airport: { iata: 'BER' },
    });
  });

  it('resolves airports outside the city table by code, without inventing a city', () => {
    const aalborg = lookupPlace('AAL');
    expect(aalborg).toMatchObject({
      kind: 'airport',
      airport: { iata: 'AAL', cityName: 'Aalborg', country: 'DK' },
      city: undefined,
    });
  });

  it('takes a country after a comma, and refuses a place in the wrong country', () => {
    expect(cityKey(lookupPlace('Paris, France'))).toBe('CDG');
    expect(cityKey(lookupPlace('London, UK'))).toBe('LHR');
    expect(cityKey(lookupPlace('Cologne, DE'))).toBe('CGN');
    expect(lookupPlace('London, Canada')).toBeUndefined();
    expect(lookupPlace('Paris, Texas')).toBeUndefined();
  });

  it('takes a US, Canadian or Australian state after a comma, and refuses the wrong one', () => {
    expect(cityKey(lookupPlace('Portland, OR'))).toBe('PDX');
    expect(cityKey(lookupPlace('Seattle, Washington'))).toBe('SEA');
    expect(cityKey(lookupPlace('Seattle, WA, USA'))).toBe('SEA');
    expect(cityKey(lookupPlace('Atlanta, Georgia'))).toBe('ATL');
    expect(cityKey(lookupPlace('Perth, WA'))).toBe('PER');
    expect(cityKey(lookupPlace('Vancouver, BC'))).toBe('YVR');
    expect(cityKey(lookupPlace('Washington, DC'))).toBe('IAD');
    expect(cityKey(lookupPlace('Washington, D.C.'))).toBe('IAD');
    expect(lookupPlace('Portland, Maine')).toBeUndefined();
    expect(lookupPlace('Perth, Scotland')).toBeUndefined();
    expect(lookupPlace('Seattle, OR')).toBeUndefined();
  });

  it('answers undefined for unknown places rather than guessing', () => {
    for (const text of [
      'Atlantis',
      'QQQ',
      '',
      '   ',
      'Lond',
      'Berlinn',
      'a, b, c',
      ', France',
      'Paris, , France',
    ]) {
      expect(lookupPlace(text), text).toBeUndefined();
    }
  });
});

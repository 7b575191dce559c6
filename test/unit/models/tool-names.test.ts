import { describe, expect, it } from 'vitest';
import { isApiToolName, ToolNameMap } from '../../../src/models/tool-names';

describe('ToolNameMap', () => {
  it('renames qualified names to API-safe ones and maps them back', () => {
    const names = ['flights.search_flights', 'bookings.book_flight', 'weather.get_forecast'];
    const map = new ToolNameMap(names);
    for (const name of names) {
      const api = map.toApi(name);
      expect(isApiToolName(api)).toBe(true);
      expect(map.fromApi(api)).toBe(name);
    }
    expect(map.toApi('flights.search_flights')).toBe('flights_search_flights');
  });

  it('keeps names the API accepts unchanged', () => {
    const map = new ToolNameMap(['search', 'get-forecast_2']);
    expect(map.toApi('search')).toBe('search');
    expect(map.toApi('get-forecast_2')).toBe('get-forecast_2');
  });

  it('keeps colliding names distinct, whatever their order, and never takes a valid name', () => {
    for (const order of [
      ['a.b', 'a_b', 'a:b'],
      ['a_b', 'a:b', 'a.b'],
    ]) {
      const map = new ToolNameMap(order);
      expect(map.toApi('a_b')).toBe('a_b');
      const apiNames = order.map((n) => map.toApi(n));
      expect(new Set(apiNames).size).toBe(3);
      for (const name of order) expect(map.fromApi(map.toApi(name))).toBe(name);
    }
  });

  it('fits long names in 64 characters, collisions included', () => {
    const long = `server.${'x'.repeat(80)}`;
    const other = `server:${'x'.repeat(80)}`;
    const map = new ToolNameMap([long, other]);
    expect(map.toApi(long)).toHaveLength(64);
    expect(map.toApi(other)).toHaveLength(64);
    expect(map.toApi(long)).not.toBe(map.toApi(other));
    expect(map.fromApi(map.toApi(other))).toBe(other);
  });

  it('returns a name the model made up unchanged', () => {
    expect(new ToolNameMap(['flights.search_flights']).fromApi('hotels_search_hotels')).toBe(
      'hotels_search_hotels',
    );
  });
});

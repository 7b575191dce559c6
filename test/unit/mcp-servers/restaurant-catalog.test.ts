import { describe, expect, it } from 'vitest';
import { DIETARY_OPTIONS, restaurantsIn } from '../../../src/mcp-servers/restaurants/restaurant-catalog';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import { CITY_ROWS } from '../../../src/geo/city-table';

describe('restaurant catalog', () => {
  it('has at least two places for every dietary need in every curated city', () => {
    for (const row of CITY_ROWS) {
      const city = resolveCity(row.airports[0]);
      expect(city, row.name).toBeDefined();
      const restaurants = restaurantsIn(city!);
      for (const need of DIETARY_OPTIONS) {
        const serving = restaurants.filter((r) => r.dietary.includes(need));
        expect(serving.length, `${row.name}: ${need}`).toBeGreaterThanOrEqual(2);
      }
      const plantBasedGlutenFree = restaurants.filter((r) =>
        ['vegan', 'vegetarian', 'gluten_free'].every((need) => r.dietary.includes(need as never)),
      );
      expect(plantBasedGlutenFree.length, `${row.name}: vegan and gluten-free`).toBeGreaterThanOrEqual(2);
    }
  });
});

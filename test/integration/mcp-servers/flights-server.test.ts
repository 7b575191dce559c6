import { describe, expect, it } from 'vitest';
import { callTool, serverWithClient, dataOf, daysFromNow, textOf } from './mcp-test-client';

describe('flights server over Streamable HTTP', () => {
  const mcp = serverWithClient('flights');
  const departDate = daysFromNow(60);
  const returnDate = daysFromNow(67);

  it('lists its tools with their input schemas', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['get_flight_details', 'search_flights']);
    const search = tools.find((tool) => tool.name === 'search_flights')!;
    expect(search.inputSchema.required).toEqual(
      expect.arrayContaining(['origin', 'destination', 'departDate']),
    );
    expect(search.inputSchema.properties).toHaveProperty('cabin.enum', [
      'economy',
      'premium_economy',
      'business',
      'first',
    ]);
    expect(search.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('searches by city name, cheapest first, and details an offer by its id', async () => {
    const result = dataOf(
      await callTool(mcp.client, 'search_flights', {
        origin: 'london',
        destination: 'New York',
        departDate,
        returnDate,
        passengers: 2,
      }),
    );
    expect(result.origin.iata).toBe('LHR');
    expect(result.destination.iata).toBe('JFK');
    expect(result.offers.length).toBeGreaterThan(0);
    const prices = result.offers.map((offer: any) => offer.totalPrice.amount);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const [cheapest] = result.offers;
    expect(cheapest.inbound.from).toBe('JFK');
    expect(cheapest.totalPrice.currency).toBe('USD');

    const details = dataOf(await callTool(mcp.client, 'get_flight_details', { offerId: cheapest.offerId }));
    expect(details.offer).toEqual(cheapest);
  });

  it("flies from today's airports: Berlin is BER, Doha is Hamad, Istanbul is the new airport", async () => {
    const result = dataOf(
      await callTool(mcp.client, 'search_flights', { origin: 'Berlin', destination: 'Doha', departDate }),
    );
    expect(result.origin).toMatchObject({
      iata: 'BER',
      name: 'Berlin Brandenburg Airport',
      city: 'Berlin',
      country: 'DE',
      countryName: 'Germany',
      timeZone: 'Europe/Berlin',
    });
    expect(result.destination).toMatchObject({
      iata: 'DOH',
      name: 'Hamad International Airport',
      city: 'Doha',
    });
    const istanbul = dataOf(
      await callTool(mcp.client, 'search_flights', { origin: 'İstanbul', destination: 'Köln', departDate }),
    );
    expect(istanbul.origin).toMatchObject({ iata: 'IST', name: 'Istanbul Airport' });
    expect(istanbul.destination).toMatchObject({ iata: 'CGN', city: 'Cologne' });
    for (const closed of ['TXL', 'ISL']) {
      const refused = await callTool(mcp.client, 'search_flights', {
        origin: closed,
        destination: 'JFK',
        departDate,
      });
      expect(refused.structuredContent).toMatchObject({ error: { code: 'unknown_place' } });
    }
  });

  it('refuses a flight between two airports of one city', async () => {
    const result = await callTool(mcp.client, 'search_flights', {
      origin: 'LHR',
      destination: 'LGW',
      departDate,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/both in London/);
  });

  it('gives the same offers for the same query and honours maxPrice', async () => {
    const query = { origin: 'CDG', destination: 'FCO', departDate, cabin: 'business' };
    const first = dataOf(await callTool(mcp.client, 'search_flights', query));
    expect(dataOf(await callTool(mcp.client, 'search_flights', query))).toEqual(first);
    const limit = first.offers[0].totalPrice.amount;
    const capped = dataOf(await callTool(mcp.client, 'search_flights', { ...query, maxPrice: limit }));
    expect(capped.offers.every((offer: any) => offer.totalPrice.amount <= limit)).toBe(true);
    expect(capped.offers.length).toBeGreaterThan(0);
  });

  it('rejects bad arguments with the field path', async () => {
    const result = await callTool(mcp.client, 'search_flights', {
      origin: 'LHR',
      destination: 'JFK',
      departDate: '2027-13-01',
      passengers: 0,
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Input validation error/);
    expect(textOf(result)).toMatch(/departDate/);
    expect(textOf(result)).toMatch(/passengers/);
  });

  it('returns tool errors for unknown airports, reversed dates and unknown offers', async () => {
    const unknown = await callTool(mcp.client, 'search_flights', {
      origin: 'Atlantis',
      destination: 'JFK',
      departDate,
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/origin: no airport or city matches "Atlantis"/);
    expect(unknown.structuredContent).toMatchObject({ error: { code: 'unknown_place', retryable: false } });

    const reversed = await callTool(mcp.client, 'search_flights', {
      origin: 'LHR',
      destination: 'JFK',
      departDate: returnDate,
      returnDate: departDate,
    });
    expect(reversed.isError).toBe(true);
    expect(textOf(reversed)).toMatch(/returnDate .* is before departDate/);

    const past = await callTool(mcp.client, 'search_flights', {
      origin: 'LHR',
      destination: 'JFK',
      departDate: '2020-01-01',
    });
    expect(textOf(past)).toMatch(/departDate 2020-01-01 is in the past/);

    const missing = await callTool(mcp.client, 'get_flight_details', {
      offerId: 'FL-LHR-JFK-20270315-OW-Y1-42',
    });
    expect(missing.isError).toBe(true);
    expect(missing.structuredContent).toMatchObject({ error: { code: 'unknown_offer' } });
  });
});

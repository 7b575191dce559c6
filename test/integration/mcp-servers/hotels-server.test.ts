import { describe, expect, it } from 'vitest';
import { callTool, serverWithClient, dataOf, daysFromNow, textOf } from './mcp-test-client';

describe('hotels server over Streamable HTTP', () => {
  const mcp = serverWithClient('hotels');
  const checkIn = daysFromNow(45);
  const checkOut = daysFromNow(49);

  it('lists its tools with their input schemas', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['get_hotel_details', 'search_hotels']);
    const search = tools.find((tool) => tool.name === 'search_hotels')!;
    expect(search.inputSchema.required).toEqual(expect.arrayContaining(['city', 'checkIn', 'checkOut']));
    expect(search.inputSchema.properties).toHaveProperty(
      'tags.items.enum',
      expect.arrayContaining(['pool', 'spa']),
    );
  });

  it('searches a city, filters by tags and price, and details an offer', async () => {
    const result = dataOf(
      await callTool(mcp.client, 'search_hotels', { city: 'Lisbon', checkIn, checkOut, guests: 2 }),
    );
    expect(result.city).toMatchObject({
      name: 'Lisbon',
      kind: 'city',
      country: 'PT',
      countryName: 'Portugal',
    });
    expect(result.nights).toBe(4);
    expect(result.offers.length).toBeGreaterThan(5);
    for (const offer of result.offers) {
      expect(offer.hotel.stars).toBeGreaterThanOrEqual(2);
      expect(offer.nightlyRates).toHaveLength(4);
    }

    const withSpa = dataOf(
      await callTool(mcp.client, 'search_hotels', { city: 'Lisbon', checkIn, checkOut, tags: ['spa'] }),
    );
    expect(withSpa.offers.length).toBeGreaterThan(0);
    expect(withSpa.offers.every((offer: any) => offer.hotel.tags.includes('spa'))).toBe(true);

    const budget = 200;
    const cheap = dataOf(
      await callTool(mcp.client, 'search_hotels', {
        city: 'Lisbon',
        checkIn,
        checkOut,
        maxNightlyPrice: budget,
      }),
    );
    expect(cheap.offers.every((offer: any) => offer.averageNightlyPrice.amount <= budget)).toBe(true);

    const details = dataOf(
      await callTool(mcp.client, 'get_hotel_details', { offerId: result.offers[0].offerId }),
    );
    expect(details.offer).toEqual(result.offers[0]);
  });

  it('finds the same hotels whatever name the traveller uses, and stays near airports outside the city table', async () => {
    const names = async (city: string) =>
      dataOf(await callTool(mcp.client, 'search_hotels', { city, checkIn, checkOut })).offers.map(
        (offer: any) => offer.hotel.hotelId,
      );
    const cologne = await names('Cologne');
    expect(cologne.length).toBeGreaterThan(0);
    expect(await names('Köln')).toEqual(cologne);
    expect(await names('koeln')).toEqual(cologne);
    expect(await names('CGN')).toEqual(cologne);

    const aalborg = dataOf(await callTool(mcp.client, 'search_hotels', { city: 'AAL', checkIn, checkOut }));
    expect(aalborg.city).toMatchObject({ name: 'Aalborg', kind: 'airport_area', country: 'DK' });
    const details = dataOf(
      await callTool(mcp.client, 'get_hotel_details', { offerId: aalborg.offers[0].offerId }),
    );
    expect(details.offer).toEqual(aalborg.offers[0]);

    const unknown = await callTool(mcp.client, 'search_hotels', { city: 'Narnia', checkIn, checkOut });
    expect(unknown.isError).toBe(true);
    expect(unknown.structuredContent).toMatchObject({ error: { code: 'unknown_place', retryable: false } });
    expect(textOf(unknown)).toMatch(/city: no airport or city matches "Narnia"/);
  });

  it('rejects bad arguments with field paths and reports tool errors', async () => {
    const badTag = await callTool(mcp.client, 'search_hotels', {
      city: 'Lisbon',
      checkIn,
      checkOut,
      tags: ['casino'],
    });
    expect(badTag.isError).toBe(true);
    expect(textOf(badTag)).toMatch(/at tags\[0\]/);

    const reversed = await callTool(mcp.client, 'search_hotels', {
      city: 'Lisbon',
      checkIn: checkOut,
      checkOut: checkIn,
    });
    expect(reversed.isError).toBe(true);
    expect(textOf(reversed)).toMatch(/checkOut must be 1 to 30 nights after checkIn/);

    const unknown = await callTool(mcp.client, 'get_hotel_details', {
      offerId: 'HT-LIS-99-20300101-20300105-G2',
    });
    expect(unknown.structuredContent).toMatchObject({ error: { code: 'unknown_offer' } });
  });
});

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { callTool, connectClient, dataOf, textOf } from './mcp-test-client';

describe('weather server over Streamable HTTP', () => {
  let server: RunningMcpHttpServer;
  let client: Client;

  beforeAll(async () => {
    server = await startMcpHttpServer({ server: 'weather' });
    client = await connectClient(server.url);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('names its data sources, with the airport data licence, in its instructions', () => {
    expect(client.getInstructions()).toMatch(/airport-data-js.*CC BY 4\.0/);
  });

  it('lists get_forecast with its schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['get_forecast']);
    expect(tools[0].inputSchema.required).toEqual(['place', 'startDate', 'endDate']);
  });

  it('gives a climate outlook per day with a summary, by season and hemisphere', async () => {
    const january = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'Ushuaia',
        startDate: '2027-01-10',
        endDate: '2027-01-16',
      }),
    );
    const july = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'USH',
        startDate: '2027-07-10',
        endDate: '2027-07-16',
      }),
    );
    expect(january.place).toMatchObject({
      name: 'Ushuaia',
      country: 'AR',
      countryName: 'Argentina',
      timeZone: 'America/Argentina/Ushuaia',
    });
    expect(january.limitations).toEqual([expect.stringMatching(/Coasts and oceans are not modelled/)]);
    // No normals on file for Ushuaia: the estimate, labelled as such.
    expect(january.basis).toBe('estimate');
    expect(january.source).toMatch(/latitude/);
    expect(january.season).toBe('summer');
    expect(july.season).toBe('winter');
    expect(january.days).toHaveLength(7);
    expect(january.summary.averageHighC).toBeGreaterThan(july.summary.averageHighC);
  });

  it('answers from the published monthly normals where it has them, citing them', async () => {
    const reykjavik = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'Reykjavík',
        startDate: '2027-01-10',
        endDate: '2027-01-16',
      }),
    );
    expect(reykjavik.basis).toBe('normals');
    expect(reykjavik.source).toMatch(/Icelandic Met Office/);
    expect(reykjavik.limitations).toEqual([]);
    expect(reykjavik.summary.averageHighC).toBeGreaterThan(0);
    expect(reykjavik.summary.averageHighC).toBeLessThan(6);
    const dubai = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'Dubai',
        startDate: '2027-07-10',
        endDate: '2027-07-14',
      }),
    );
    expect(dubai.summary.wetDays).toBe(0);
  });

  it('states the altitude it adjusted for, or that it does not know it', async () => {
    const laPaz = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'La Paz',
        startDate: '2027-06-01',
        endDate: '2027-06-03',
      }),
    );
    expect(laPaz.place.elevationM).toBe(3640);
    expect(laPaz.limitations.join(' ')).toMatch(/High altitude \(about 3,640 m\)/);
    const aalborg = dataOf(
      await callTool(client, 'get_forecast', {
        place: 'AAL',
        startDate: '2027-06-01',
        endDate: '2027-06-03',
      }),
    );
    expect(aalborg.place).toMatchObject({ name: 'Aalborg', kind: 'airport_area', elevationM: null });
    expect(aalborg.limitations.join(' ')).toMatch(/Elevation unknown/);
  });

  it('rejects bad arguments and impossible ranges', async () => {
    const bad = await callTool(client, 'get_forecast', {
      place: 'Oslo',
      startDate: 'tomorrow',
      endDate: '2027-01-02',
    });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/startDate/);
    const reversed = await callTool(client, 'get_forecast', {
      place: 'Oslo',
      startDate: '2027-01-09',
      endDate: '2027-01-02',
    });
    expect(textOf(reversed)).toMatch(/endDate 2027-01-02 is before startDate 2027-01-09/);
    const tooLong = await callTool(client, 'get_forecast', {
      place: 'Oslo',
      startDate: '2027-01-01',
      endDate: '2027-03-01',
    });
    expect(textOf(tooLong)).toMatch(/at most 31 days/);
    const nowhere = await callTool(client, 'get_forecast', {
      place: 'Narnia',
      startDate: '2027-01-01',
      endDate: '2027-01-02',
    });
    expect(nowhere.structuredContent).toMatchObject({ error: { code: 'unknown_place' } });
  });
});

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ValidationError } from '../../domain/errors';
import { createLogger } from '../../telemetry/logger';
import { assertOrdered, dateRange, daysBetween, isoDateSchema } from '../shared/dates';
import { UnknownPlaceError } from '../shared/errors';
import { resolveCity } from '../shared/places';
import { seasonName } from '../shared/seasons';
import { PLACES_DATA_NOTE, READ_ONLY_TOOL, serverInfo } from '../shared/server-info';
import { runTool } from '../shared/tool-result';
import { climateFor, climateLimitations } from './climate';

const logger = createLogger('mcp:weather');
const MAX_FORECAST_DAYS = 31;

export const getForecastInput = {
  place: z.string().trim().min(2).max(100).describe('City name ("Ushuaia") or an airport IATA code ("USH").'),
  startDate: isoDateSchema.describe('First day, YYYY-MM-DD.'),
  endDate: isoDateSchema.describe(`Last day, YYYY-MM-DD (at most ${MAX_FORECAST_DAYS} days in all).`),
};

const average = (values: number[]) =>
  Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;

/** The weather tool server: a climate-based outlook for any place and dates. */
export function createWeatherServer(): McpServer {
  const server = new McpServer(serverInfo('weather'), { instructions: PLACES_DATA_NOTE });

  server.registerTool(
    'get_forecast',
    {
      title: 'Weather outlook',
      description:
        'Typical daily weather (high/low °C, chance and amount of precipitation, conditions) for a place and dates: from the city\'s published monthly climate normals where we have them (`basis: "normals"`, `source` cites them), else estimated from latitude, hemisphere, elevation and season (`basis: "estimate"`, with `limitations`). Never a live forecast.',
      inputSchema: getForecastInput,
      annotations: READ_ONLY_TOOL,
    },
    (args) =>
      runTool(logger, 'get_forecast', () => {
        const city = resolveCity(args.place);
        if (!city) throw new UnknownPlaceError(args.place, 'place');
        assertOrdered({ field: 'startDate', date: args.startDate }, { field: 'endDate', date: args.endDate });
        if (daysBetween(args.startDate, args.endDate) + 1 > MAX_FORECAST_DAYS) {
          throw new ValidationError(`The outlook covers at most ${MAX_FORECAST_DAYS} days.`, [
            { path: 'endDate', issue: `at most ${MAX_FORECAST_DAYS} days after startDate` },
          ]);
        }
        const climate = climateFor(city);
        const days = dateRange(args.startDate, args.endDate).map((date) => climate.day(date));
        return {
          place: {
            name: city.name,
            kind: city.kind,
            country: city.country,
            countryName: city.countryName,
            latitude: city.lat,
            longitude: city.lon,
            elevationM: city.elevationM ?? null,
            timeZone: city.timeZone,
          },
          basis: climate.basis,
          source: climate.source,
          note:
            climate.basis === 'normals'
              ? 'Typical weather for these dates from the monthly climate normals cited in `source`; not a live forecast.'
              : 'Estimate from latitude, elevation and season (no climate normals on file for this place); not a live forecast.',
          limitations: climate.basis === 'normals' ? [] : climateLimitations(city),
          season: seasonName(args.startDate, city.lat),
          summary: {
            averageHighC: average(days.map((day) => day.highC)),
            averageLowC: average(days.map((day) => day.lowC)),
            wetDays: days.filter((day) => day.precipitationMm > 0).length,
            totalPrecipitationMm:
              Math.round(days.reduce((sum, day) => sum + day.precipitationMm, 0) * 10) / 10,
          },
          days,
        };
      }),
  );

  return server;
}

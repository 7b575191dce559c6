/**
 * A single question's data, read for display: the specialist's own output (`unknown` in the run
 * resource), field by field; whatever does not fit is left out. Pure.
 */
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export interface ForecastDay {
  date: string;
  conditions?: string;
  highC?: number;
  lowC?: number;
  precipitationMm?: number;
}

/** The forecast day by day, with the tool's note on what the figures are. */
export function forecastOf(data: unknown): { days: ForecastDay[]; note?: string } | undefined {
  const report = obj(data);
  const days = (Array.isArray(report?.days) ? report.days : []).flatMap((value): ForecastDay[] => {
    const d = obj(value);
    const date = str(d?.date);
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
    return [
      {
        date,
        conditions: str(d?.conditions),
        highC: num(d?.highC),
        lowC: num(d?.lowC),
        precipitationMm: num(d?.precipitationMm),
      },
    ];
  });
  return days.length ? { days, note: str(report?.note) } : undefined;
}

export interface Pick {
  name: string;
  details: string;
}

/** The restaurants picked: name, then cuisine, price level, rating and neighbourhood. */
export function picksOf(data: unknown): Pick[] {
  const picks = obj(data)?.picks;
  return (Array.isArray(picks) ? picks : []).flatMap((value): Pick[] => {
    const p = obj(value);
    const name = str(p?.name);
    if (!name) return [];
    const level = num(p?.priceLevel);
    const rating = num(p?.rating);
    return [
      {
        name,
        details: [
          str(p?.cuisine),
          level ? '$'.repeat(Math.min(4, Math.max(1, Math.round(level)))) : undefined,
          rating !== undefined ? `${rating}/5` : undefined,
          str(p?.neighbourhood),
        ]
          .filter(Boolean)
          .join(' · '),
      },
    ];
  });
}

/**
 * What the specialist found for a single question, beside its one-sentence answer: the forecast
 * day by day, the restaurants picked, or the flight or hotel as the tools stated them. The data
 * is the specialist's own output (`unknown` in the run resource), read field by field; nothing is
 * shown for what does not fit.
 */
import { forecastOf, picksOf } from './answer-model';
import { calendarDate } from './format';
import { FlightsCard, HotelCard } from './itinerary';
import { flightPlanOf, hotelStayOf } from './itinerary-model';

const degrees = (c: number | undefined) => (c === undefined ? '—' : `${Math.round(c)}°C`);

export function AnswerDetails({ topic, data }: { topic?: string; data: unknown }) {
  const forecast = topic === 'weather' || !topic ? forecastOf(data) : undefined;
  if (forecast)
    return (
      <section class="card answer-data" aria-labelledby="forecast-title">
        <h2 id="forecast-title">Day by day</h2>
        <table class="forecast">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Weather</th>
              <th scope="col">High</th>
              <th scope="col">Low</th>
              <th scope="col">Rain</th>
            </tr>
          </thead>
          <tbody>
            {forecast.days.map((d) => (
              <tr key={d.date}>
                <th scope="row">
                  <time dateTime={d.date}>{calendarDate(d.date, { year: false })}</time>
                </th>
                <td>{d.conditions ?? '—'}</td>
                <td>{degrees(d.highC)}</td>
                <td>{degrees(d.lowC)}</td>
                <td>{d.precipitationMm === undefined ? '—' : `${d.precipitationMm} mm`}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {forecast.note ? <p class="hint">{forecast.note}</p> : null}
      </section>
    );
  const picks = picksOf(data);
  if (picks.length)
    return (
      <section class="card answer-data" aria-labelledby="picks-title">
        <h2 id="picks-title">Where to eat</h2>
        <ul class="picks">
          {picks.map((p) => (
            <li key={p.name}>
              <strong>{p.name}</strong>
              {p.details ? <span class="hint"> · {p.details}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    );
  if (topic === 'flights') {
    const plan = flightPlanOf(data);
    return plan?.legs.length ? <FlightsCard plan={plan} /> : null;
  }
  if (topic === 'hotels') {
    const stay = hotelStayOf(data);
    return stay ? <HotelCard stay={stay} /> : null;
  }
  return null;
}

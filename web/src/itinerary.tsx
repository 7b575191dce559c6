/**
 * The itinerary as a travel app shows it: booking confirmations first, then the flights (legs,
 * airports, local times, durations), the hotel stay (check-in and check-out times), what it costs
 * in the traveller's currency against their budget, and the days with their timed events; a
 * calendar file and print. Also what a stopped run had found (`PartialFindings`).
 */
import { useId } from 'preact/hooks';
import type { RunResource } from '../../src/travel/api/run-resource';
import { calendarDate, flightDuration, money, plural } from './format';
import { itineraryCalendar } from './ics';
import {
  budgetNote,
  costView,
  dayViews,
  flightPlanOf,
  hotelStayOf,
  journeysOf,
  journeysPlan,
  stopsOf,
  type FlightPlan,
  type HotelStay,
} from './itinerary-model';
import { tripFacts, tripHeading } from './trip';
import { bookingLabel, partRef } from './trip-parts';

type Result = NonNullable<RunResource['result']>;
type Itinerary = NonNullable<Result['itinerary']>;

export function ItineraryView({ run, itinerary }: { run: RunResource; itinerary: Itinerary }) {
  const facts = tripFacts(run);
  // Several stops: every journey's flight in one card, a hotel card per stop.
  const stops = stopsOf(itinerary);
  const journeys = journeysOf(itinerary);
  const flights = journeys.length ? journeysPlan(journeys) : flightPlanOf(itinerary.flights);
  const stay = stops.length ? undefined : hotelStayOf(itinerary.hotel);
  const costs = costView(itinerary, facts.budget);
  if (stops.length > 1)
    costs.lines = costs.lines.map((line) => (line.label === 'Hotel' ? { ...line, label: 'Hotels' } : line));
  const note = budgetNote(costs);
  const bookings = run.result?.bookings ?? [];
  const title = tripHeading(run).title;
  const download = () => {
    const file = itineraryCalendar(run.id, itinerary, title, new Date().toISOString());
    const url = URL.createObjectURL(new Blob([file], { type: 'text/calendar;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'trip'}.ics`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <section class="itinerary" aria-labelledby="itinerary-title">
      <div class="section-head">
        <h2 id="itinerary-title">Your itinerary</h2>
        <div class="tools">
          <button type="button" class="secondary small" onClick={download}>
            Add to calendar (.ics)
          </button>
          <button type="button" class="secondary small" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </div>
      {bookings.length ? <Confirmations run={run} bookings={bookings} /> : null}
      <p class="summary">{itinerary.summary}</p>
      <div class="overview">
        {flights ? <FlightsCard plan={flights} /> : null}
        {stay ? <HotelCard stay={stay} /> : null}
        {stops.map((stop) =>
          stop.hotel ? (
            <HotelCard
              key={stop.index}
              stay={stop.hotel}
              title={`Hotel in ${stop.place}`}
              note={stop.weather ? `Weather: ${stop.weather}` : undefined}
            />
          ) : null,
        )}
        <section class="card costs" aria-labelledby="costs-title">
          <h3 id="costs-title">Cost</h3>
          <table class="cost-table">
            <tbody>
              {costs.lines.map((line) => (
                <tr key={line.label}>
                  <th scope="row">{line.label}</th>
                  <td>
                    {line.amount > 0 && line.amount < 0.01
                      ? `under ${money(0.01, costs.currency, { cents: true })}`
                      : money(line.amount, costs.currency)}
                  </td>
                </tr>
              ))}
              <tr class="total">
                <th scope="row">Total</th>
                <td>{money(costs.total, costs.currency)}</td>
              </tr>
            </tbody>
          </table>
          {note ? (
            <p class={`budget-note ${costs.leftOver! >= 0 ? 'under' : 'over'}`}>
              {note}
              {costs.budget !== undefined ? ` (budget ${money(costs.budget, costs.currency)})` : ''}
            </p>
          ) : null}
          {costs.usdTotal !== undefined ? (
            <p class="hint">
              Converted from {money(costs.usdTotal, 'USD')} at the rate your budget was read with.
            </p>
          ) : null}
        </section>
      </div>
      <h3 class="days-title">Day by day</h3>
      <ol class="days">
        {dayViews(itinerary).map((day, index) => (
          <li key={day.date} class="day">
            <h4>
              <span class="day-number">Day {index + 1}</span>
              <time dateTime={day.date}>{calendarDate(day.date, { year: false })}</time>
              {day.place ? <span class="day-place">{day.place}</span> : null}
              <span class="day-title">{day.title}</span>
            </h4>
            {day.weather ? <p class="weather">{day.weather}</p> : null}
            {day.events.length ? (
              <ul class="events">
                {day.events.map((event, i) => (
                  <li key={i} class={`event ${event.kind}`}>
                    <span class="event-time">{event.time ?? ''}</span>
                    <span class="event-body">
                      <span class="event-title">{event.title}</span>
                      {event.detail ? <span class="event-detail">{event.detail}</span> : null}
                    </span>
                  </li>
                ))}
              </ul>
            ) : null}
            {day.activities.length ? (
              <ul class="activities">
                {day.activities.map((item, i) => (
                  <li key={i}>{item}</li>
                ))}
              </ul>
            ) : null}
            {day.meals.length ? <p class="meals">{day.meals.join(' · ')}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Confirmations({ run, bookings }: { run: RunResource; bookings: NonNullable<Result['bookings']> }) {
  return (
    <section class="card confirmations" aria-labelledby="confirmations-title">
      <h3 id="confirmations-title">Booking confirmations</h3>
      <ul class="bookings">
        {bookings.map((b) => (
          <li key={`${b.item}-${b.offerId}`} class={`booking ${b.status}`} data-booking={b.bookingId ?? ''}>
            <span class="booking-item">{bookingLabel(run, b)}</span>
            {b.status === 'confirmed' ? (
              <span>
                Confirmed · reference <code class="reference">{b.bookingId}</code>
              </span>
            ) : (
              <span>Not booked: {b.error ?? 'the provider refused it'}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The flights as a card; `title` names it (each region on a page needs its own name). */
export function FlightsCard({ plan, title = 'Flights' }: { plan: FlightPlan; title?: string }) {
  const id = `flights-${useId()}`;
  return (
    <section class="card flights" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {plan.legs.length ? (
        plan.legs.map((leg, index) => (
          <div key={index} class="leg">
            <p class="leg-head">
              {leg.title ??
                (plan.legs.length > 1
                  ? leg.direction === 'outbound'
                    ? 'Outbound'
                    : 'Return'
                  : 'One way')}{' '}
              · {calendarDate(leg.segments[0].departure.date, { year: false })}
            </p>
            {leg.segments.map((s, i) => (
              <div key={i} class="segment">
                <div class="airport">
                  <span class="time">{s.departure.time}</span>
                  <span class="code">{s.from}</span>
                </div>
                <div class="flight-line" aria-hidden="true">
                  <span>{s.durationMinutes !== undefined ? flightDuration(s.durationMinutes) : ''}</span>
                </div>
                <div class="airport">
                  <span class="time">
                    {s.arrival.time}
                    {s.arrival.date !== s.departure.date ? <sup> +1</sup> : null}
                  </span>
                  <span class="code">{s.to}</span>
                </div>
                <p class="segment-meta">
                  {[s.airline, s.flightNumber, s.aircraft].filter(Boolean).join(' · ')}
                  <span class="visually-hidden">
                    {`: departs ${s.from} ${s.departure.time}, arrives ${s.to} ${s.arrival.time}`}
                  </span>
                </p>
              </div>
            ))}
            <p class="hint">{leg.stops === 0 ? 'Non-stop' : plural(leg.stops, 'stop')}</p>
          </div>
        ))
      ) : (
        <p>{plan.description}</p>
      )}
      <p class="hint">
        {[
          plan.cabin ? `${plan.cabin[0].toUpperCase()}${plan.cabin.slice(1)}` : undefined,
          plan.passengers ? plural(plan.passengers, 'passenger') : undefined,
          ...plan.fareNotes,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
    </section>
  );
}

export function HotelCard({
  stay,
  title = 'Hotel',
  note,
}: {
  stay: HotelStay;
  title?: string;
  /** A line under the stay (the weather there, on a trip with several stops). */
  note?: string;
}) {
  const id = `hotel-${useId()}`;
  return (
    <section class="card hotel" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <p class="hotel-name">
        {stay.name}
        {stay.stars ? <span class="stars"> · {stay.stars}★</span> : null}
        {stay.rating ? <span class="rating"> · {stay.rating}/10</span> : null}
      </p>
      {stay.area ? <p class="hint">{stay.area}</p> : null}
      <dl class="stay">
        {stay.checkIn ? (
          <div>
            <dt>Check-in</dt>
            <dd>
              {calendarDate(stay.checkIn, { year: false })}
              {stay.checkInFrom ? `, from ${stay.checkInFrom}` : ''}
            </dd>
          </div>
        ) : null}
        {stay.checkOut ? (
          <div>
            <dt>Check-out</dt>
            <dd>
              {calendarDate(stay.checkOut, { year: false })}
              {stay.checkOutUntil ? `, by ${stay.checkOutUntil}` : ''}
            </dd>
          </div>
        ) : null}
        {stay.roomType ? (
          <div>
            <dt>Room</dt>
            <dd>
              {stay.rooms && stay.rooms > 1 ? `${stay.rooms} × ` : ''}
              {stay.roomType}
              {stay.guests ? `, ${plural(stay.guests, 'guest')}` : ''}
            </dd>
          </div>
        ) : null}
        {stay.nights ? (
          <div>
            <dt>Stay</dt>
            <dd>
              {plural(stay.nights, 'night')}
              {stay.nightlyUsd !== undefined ? `, about ${money(stay.nightlyUsd)} a night` : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {stay.freeCancellationUntil ? (
        <p class="hint">Free cancellation until {calendarDate(stay.freeCancellationUntil)}</p>
      ) : stay.refundable === false ? (
        <p class="hint">Not refundable</p>
      ) : null}
      {note ? <p class="stay-note">{note}</p> : null}
    </section>
  );
}

/**
 * What a run found before it stopped (a budget, a failure): the flights and hotels, filed by part
 * (`flights`, `hotels`, or `flights:2`, `hotels:1` … on a trip with several stops), and the weather.
 */
export function PartialFindings({ data }: { data: unknown }) {
  const findings = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const parts = Object.keys(findings).sort(byPart);
  const flights = parts
    .filter((part) => /^flights\b/.test(part))
    .flatMap((part) => {
      const plan = flightPlanOf(findings[part]);
      return plan ? [{ part, plan }] : [];
    });
  const stays = parts
    .filter((part) => /^hotels\b/.test(part))
    .flatMap((part) => {
      const stay = hotelStayOf(findings[part]);
      return stay ? [{ part, stay }] : [];
    });
  const weather = (findings.weather as { summary?: unknown } | undefined)?.summary;
  if (!flights.length && !stays.length && typeof weather !== 'string') return null;
  const several = flights.length > 1 || stays.length > 1;
  const prices = [
    ...flights.map(({ part, plan }) => [partLabel(part, 'flight', several), plan.totalUsd] as const),
    ...stays.map(({ part, stay }) => [partLabel(part, 'hotel', several), stay.totalUsd] as const),
  ].filter((p): p is readonly [string, number] => p[1] !== undefined);
  return (
    <section class="partial" aria-labelledby="partial-title">
      <h2 id="partial-title">What we found before stopping</h2>
      <div class="overview">
        {flights.map(({ part, plan }) => (
          <FlightsCard key={part} plan={plan} title={partLabel(part, 'flight', several)} />
        ))}
        {stays.map(({ part, stay }) => (
          <HotelCard key={part} stay={stay} title={partLabel(part, 'hotel', several)} />
        ))}
        {typeof weather === 'string' ? (
          <section class="card" aria-labelledby="partial-weather">
            <h3 id="partial-weather">Weather</h3>
            <p>{weather}</p>
          </section>
        ) : null}
      </div>
      {prices.length ? (
        <p class="hint">
          Prices found: {prices.map(([label, usd]) => `${label.toLowerCase()} ${money(usd)}`).join(', ')}.
        </p>
      ) : null}
    </section>
  );
}

/** Parts in travel order: "flights:1", "flights:2", "flights:return"; "hotels:1" … */
function byPart(a: string, b: string): number {
  const rank = (part: string) => {
    const ref = partRef(part, 'flight');
    return ref.stop === 'return' ? 1_000 : (ref.stop ?? 0);
  };
  return a.split(':')[0].localeCompare(b.split(':')[0]) || rank(a) - rank(b);
}

/** "Flights", "Hotel"; on a trip with several stops "Flight 2", "Flight home", "Hotel 1". */
function partLabel(part: string, kind: 'flight' | 'hotel', several: boolean): string {
  const ref = partRef(part, kind);
  if (!several || ref.stop === undefined) return kind === 'flight' ? 'Flights' : 'Hotel';
  if (ref.stop === 'return') return 'Flight home';
  return kind === 'flight' ? `Flight ${ref.stop}` : `Hotel ${ref.stop}`;
}

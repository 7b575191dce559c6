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
  type FlightPlan,
  type HotelStay,
} from './itinerary-model';
import { tripFacts, tripHeading } from './trip';

type Result = NonNullable<RunResource['result']>;
type Itinerary = NonNullable<Result['itinerary']>;

export function ItineraryView({ run, itinerary }: { run: RunResource; itinerary: Itinerary }) {
  const facts = tripFacts(run);
  const flights = flightPlanOf(itinerary.flights);
  const stay = hotelStayOf(itinerary.hotel);
  const costs = costView(itinerary, facts.budget);
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
      {bookings.length ? <Confirmations bookings={bookings} /> : null}
      <p class="summary">{itinerary.summary}</p>
      <div class="overview">
        {flights ? <FlightsCard plan={flights} /> : null}
        {stay ? <HotelCard stay={stay} /> : null}
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

function Confirmations({ bookings }: { bookings: NonNullable<Result['bookings']> }) {
  return (
    <section class="card confirmations" aria-labelledby="confirmations-title">
      <h3 id="confirmations-title">Booking confirmations</h3>
      <ul class="bookings">
        {bookings.map((b) => (
          <li key={`${b.item}-${b.offerId}`} class={`booking ${b.status}`} data-booking={b.bookingId ?? ''}>
            <span class="booking-item">
              {b.item === 'flight' ? 'Flights' : b.item === 'hotel' ? 'Hotel' : b.item}
            </span>
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
        plan.legs.map((leg) => (
          <div key={leg.direction} class="leg">
            <p class="leg-head">
              {leg.direction === 'outbound' ? 'Outbound' : 'Return'} ·{' '}
              {calendarDate(leg.segments[0].departure.date, { year: false })}
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

export function HotelCard({ stay, title = 'Hotel' }: { stay: HotelStay; title?: string }) {
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
    </section>
  );
}

/** What a run found before it stopped (a budget, a failure): the flights and hotel, when there. */
export function PartialFindings({ data }: { data: unknown }) {
  const findings = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const flights = flightPlanOf(findings.flights);
  const stay = hotelStayOf(findings.hotels);
  const weather = (findings.weather as { summary?: unknown } | undefined)?.summary;
  if (!flights && !stay && typeof weather !== 'string') return null;
  return (
    <section class="partial" aria-labelledby="partial-title">
      <h2 id="partial-title">What we found before stopping</h2>
      <div class="overview">
        {flights ? <FlightsCard plan={flights} /> : null}
        {stay ? <HotelCard stay={stay} /> : null}
        {typeof weather === 'string' ? (
          <section class="card" aria-labelledby="partial-weather">
            <h3 id="partial-weather">Weather</h3>
            <p>{weather}</p>
          </section>
        ) : null}
      </div>
      {flights?.totalUsd !== undefined || stay?.totalUsd !== undefined ? (
        <p class="hint">
          Prices found:{' '}
          {[
            flights?.totalUsd !== undefined ? `flights ${money(flights.totalUsd)}` : undefined,
            stay?.totalUsd !== undefined ? `hotel ${money(stay.totalUsd)}` : undefined,
          ]
            .filter(Boolean)
            .join(', ')}
          .
        </p>
      ) : null}
    </section>
  );
}

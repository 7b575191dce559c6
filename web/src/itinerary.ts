/**
 * The run's result: the itinerary (summary, cost breakdown against the budget, one section per
 * day, the flights, hotel, weather and restaurants chosen), the bookings, or the answer in words.
 * The specialists' parts are `unknown` in the run resource (a model writes them), so each is read
 * leniently with a display schema and skipped when it does not fit.
 */
import { z } from 'zod';
import type { RunResource } from '../../src/travel/api/run-resource';
import { h, type Child } from './dom';
import { calendarDate, money } from './format';

const flightView = z.object({ description: z.string(), totalUsd: z.number().optional() });
const hotelView = z.object({
  name: z.string().optional(),
  description: z.string(),
  totalUsd: z.number().optional(),
  nightlyUsd: z.number().optional(),
});
const weatherView = z.object({
  summary: z.string(),
  note: z.string().optional(),
});
const diningView = z.object({
  summary: z.string().optional(),
  picks: z
    .array(
      z.object({
        name: z.string(),
        cuisine: z.string().optional(),
        priceLevel: z.number().optional(),
        rating: z.number().optional(),
        neighbourhood: z.string().optional(),
      }),
    )
    .optional(),
});

type Result = NonNullable<RunResource['result']>;

export function resultView(result: Result): HTMLElement {
  const itinerary = result.itinerary;
  return h(
    'section',
    { class: 'card result', 'aria-labelledby': 'result-title' },
    h('h2', { id: 'result-title' }, itinerary ? 'Your itinerary' : 'Answer'),
    result.answer ? h('p', { class: 'answer' }, result.answer) : null,
    itinerary ? itineraryView(itinerary) : null,
    result.approval
      ? h(
          'p',
          { class: 'approval-note' },
          result.approval.approved
            ? 'You approved the quote.'
            : 'You rejected the quote: nothing was booked.',
          result.approval.note ? ` Note: “${result.approval.note}”` : '',
        )
      : null,
    result.bookings?.length ? bookingsView(result.bookings) : null,
  );
}

function itineraryView(itinerary: NonNullable<Result['itinerary']>): Child[] {
  const costs = itinerary.costs;
  const flight = flightView.safeParse(itinerary.flights);
  const hotel = hotelView.safeParse(itinerary.hotel);
  const weather = weatherView.safeParse(itinerary.weather);
  const dining = diningView.safeParse(itinerary.restaurants);
  return [
    h('p', { class: 'summary' }, itinerary.summary),
    h(
      'table',
      { class: 'costs' },
      h('caption', {}, 'Cost breakdown (USD)'),
      h(
        'tbody',
        {},
        row('Flights', money(costs.flights)),
        row('Hotel', money(costs.hotel)),
        row('AI planning', money(costs.ai)),
        h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Total'), h('td', {}, money(costs.total))),
        costs.budget !== undefined ? row('Budget', money(costs.budget)) : null,
        costs.remaining !== undefined
          ? h(
              'tr',
              { class: costs.remaining < 0 ? 'over' : 'under' },
              h('th', { scope: 'row' }, costs.remaining < 0 ? 'Over budget by' : 'Left in budget'),
              h('td', {}, money(Math.abs(costs.remaining))),
            )
          : null,
      ),
    ),
    h(
      'div',
      { class: 'choices' },
      flight.success ? choice('Flights', flight.data.description, flight.data.totalUsd) : null,
      hotel.success
        ? choice(
            'Hotel',
            // The name once: descriptions often start with it already.
            hotel.data.name && !hotel.data.description.startsWith(hotel.data.name)
              ? `${hotel.data.name} — ${hotel.data.description}`
              : hotel.data.description,
            hotel.data.totalUsd,
            hotel.data.nightlyUsd,
          )
        : null,
      weather.success
        ? h(
            'article',
            { class: 'choice' },
            h('h3', {}, 'Weather'),
            h('p', {}, weather.data.summary),
            weather.data.note ? h('p', { class: 'hint' }, weather.data.note) : null,
          )
        : null,
      dining.success && (dining.data.picks?.length || dining.data.summary)
        ? h(
            'article',
            { class: 'choice' },
            h('h3', {}, 'Restaurants'),
            dining.data.summary ? h('p', {}, dining.data.summary) : null,
            dining.data.picks?.length
              ? h(
                  'ul',
                  {},
                  dining.data.picks.map((p) =>
                    h(
                      'li',
                      {},
                      h('strong', {}, p.name),
                      [p.cuisine, p.neighbourhood].filter(Boolean).length
                        ? ` — ${[p.cuisine, p.neighbourhood].filter(Boolean).join(', ')}`
                        : '',
                      p.rating !== undefined ? ` (${p.rating}★)` : '',
                    ),
                  ),
                )
              : null,
          )
        : null,
    ),
    h('h3', {}, 'Day by day'),
    h(
      'ol',
      { class: 'days' },
      itinerary.days.map((day) =>
        h(
          'li',
          { class: 'day' },
          h('h4', {}, h('time', { datetime: day.date }, calendarDate(day.date)), ` · ${day.title}`),
          day.weather ? h('p', { class: 'weather' }, 'Weather: ', day.weather) : null,
          h(
            'ul',
            {},
            day.plan.map((item) => h('li', {}, item)),
          ),
          day.meals?.length ? h('p', { class: 'meals' }, 'Eat: ', day.meals.join(' · ')) : null,
        ),
      ),
    ),
  ];
}

function row(label: string, value: string): HTMLElement {
  return h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value));
}

function choice(title: string, description: string, totalUsd?: number, nightlyUsd?: number): HTMLElement {
  return h(
    'article',
    { class: 'choice' },
    h('h3', {}, title),
    h('p', {}, description),
    totalUsd !== undefined
      ? h(
          'p',
          { class: 'price' },
          money(totalUsd),
          nightlyUsd !== undefined ? ` (${money(nightlyUsd)} a night)` : '',
        )
      : null,
  );
}

function bookingsView(bookings: NonNullable<Result['bookings']>): Child {
  return [
    h('h3', {}, 'Bookings'),
    h(
      'ul',
      { class: 'bookings', 'aria-label': 'Bookings' },
      bookings.map((b) =>
        h(
          'li',
          { class: `booking ${b.status}`, 'data-booking': b.bookingId ?? '' },
          h('span', { class: 'tag' }, b.item),
          ' ',
          b.status === 'confirmed' ? `Confirmed: ${b.bookingId ?? ''}` : `Failed: ${b.error ?? 'not booked'}`,
        ),
      ),
    ),
  ];
}

/** The quote a run asks approval for, as a table. */
export function quoteTable(quote: NonNullable<RunResource['quote']>): HTMLElement {
  return h(
    'table',
    { class: 'quote' },
    h('caption', {}, 'Quote'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Item'),
        h('th', { scope: 'col' }, 'Description'),
        h('th', { scope: 'col' }, 'Price'),
      ),
    ),
    h(
      'tbody',
      {},
      quote.items.map((item) =>
        h(
          'tr',
          {},
          h('td', {}, item.kind),
          h('td', {}, item.description),
          h('td', {}, money(item.price.amount, item.price.currency)),
        ),
      ),
      h(
        'tr',
        { class: 'total' },
        h('th', { scope: 'row', colspan: 2 }, 'Total'),
        h('td', {}, money(quote.total.amount, quote.total.currency)),
      ),
      quote.budget
        ? h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row', colspan: 2 },
              `Your budget${quote.ratesDate ? ` (rates of ${quote.ratesDate})` : ''}`,
            ),
            h('td', {}, money(quote.budget.amount, quote.budget.currency)),
          )
        : null,
    ),
  );
}

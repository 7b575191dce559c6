/**
 * Compose: the itinerary agent writes the days of each stay around the verified offers (real
 * departure and arrival times, the hotel as booked), the weather and the restaurants; a trip with
 * several stops is written stay by stay and the days joined (a travel day belongs to both). What
 * is money or fact is then set in code: the cost breakdown and the summary from the quote, the
 * flights and hotels as their servers stated them — whatever the model wrote there.
 */
import { runAgent } from '../../../agents/orchestration/run-agent';
import { itinerary as itineraryAgent, type FlightChoice, type HotelChoice } from '../../agents';
import type { Itinerary, Quote, TripFacts } from '../../schemas';
import { describeFlight, describeHotel, type FlightOffer, type HotelOffer } from '../offers';
import { costsOf, summaryOf } from '../pricing';
import { partKey, shapeOf, type StayPart, type TripShape } from '../shape';
import {
  diningAt,
  ended,
  next,
  weatherAt,
  type Gen,
  type PhaseOutcome,
  type TripRun,
  type VerifiedOffers,
} from '../trip-run';

type Day = Itinerary['days'][number];

export function* compose(
  trip: TripRun,
  facts: TripFacts,
  quote: Quote,
  offers: VerifiedOffers,
): Gen<PhaseOutcome<Itinerary>> {
  const { frame, findings } = trip;
  const shaped = shapeOf(facts);
  if (!shaped || !('shape' in shaped)) {
    return ended(
      frame.finish('failed', {
        error: { code: 'compose_failed', message: 'The trip has no dates to plan.' },
      }),
    );
  }
  const { shape } = shaped;
  const written: Itinerary[] = [];
  for (const stay of shape.stays) {
    const one = yield* composeStay(trip, facts, shape, stay, offers);
    if (one === undefined) {
      return ended(
        frame.finish('failed', {
          error: { code: 'compose_failed', message: 'No itinerary could be written.' },
          result: { data: findings },
        }),
      );
    }
    written.push(one);
  }
  frame.publish();
  const days = joinDays(written.map((w) => w.days));
  const flights = shape.flights
    .map((f) => ({ part: f, offer: offers.flights[f.key] }))
    .filter((f): f is { part: (typeof shape.flights)[number]; offer: FlightOffer } => f.offer !== undefined);
  const stays = shape.stays.map((stay, k) => ({
    place: stay.place.name,
    checkIn: stay.checkIn,
    checkOut: stay.checkOut,
    ...hotelOf(offers, shape, stay),
    ...(written[k].weather ? { weather: written[k].weather } : {}),
    ...(written[k].restaurants ? { restaurants: written[k].restaurants } : {}),
  }));
  return next({
    ...written[0],
    summary: summaryOf(quote, facts, days.length),
    days,
    ...(flights[0] ? { flights: flightChoiceOf(flights[0].offer) } : {}),
    ...(stays[0]?.hotel ? { hotel: stays[0].hotel } : {}),
    ...(shape.stays.length > 1
      ? {
          stays,
          journeys: flights.map(({ part, offer }) => ({
            part: part.key,
            from: part.from.name,
            to: part.to.name,
            date: part.departDate,
            flight: flightChoiceOf(offer),
          })),
        }
      : {}),
    costs: costsOf(quote, frame.tracker.usage.modelCost, facts),
  });
}

/** One stay's days, written by the itinerary agent around the flights in and out of it. */
function* composeStay(
  trip: TripRun,
  facts: TripFacts,
  shape: TripShape,
  stay: StayPart,
  offers: VerifiedOffers,
): Gen<Itinerary | undefined> {
  const { context, frame, findings } = trip;
  const n = shape.stays.length;
  const arriving = shape.flights.find((f) => f.to === stay.place && f.departDate <= stay.checkIn);
  const leaving =
    shape.flights.find((f) => f.from === stay.place && f.departDate >= stay.checkOut) ??
    (arriving?.returnDate ? arriving : undefined);
  const composed = yield* runAgent(
    context,
    frame.run,
    itineraryAgent,
    JSON.stringify({
      facts: {
        destination: stay.place.name,
        origin: facts.origin?.name,
        startDate: stay.checkIn,
        endDate: stay.checkOut,
        travellers: facts.travellers,
        interests: facts.interests ?? [],
        budgetUsd: facts.budget?.usd,
        ...(facts.dietary?.length ? { dietary: facts.dietary } : {}),
        ...(stay.index < n ? { next: shape.stays[stay.index].place.name } : {}),
        ...groundOf(stay, arriving ? offers.flights[arriving.key] : undefined),
      },
      flights: flightsInOut(
        arriving ? offers.flights[arriving.key] : undefined,
        leaving ? offers.flights[leaving.key] : undefined,
      ),
      hotel: hotelOf(offers, shape, stay).hotel,
      weather: weatherAt(findings, partKey('weather', stay.index, n)),
      restaurants: diningAt(findings, partKey('restaurants', stay.index, n)),
      aiCostUsd: frame.tracker.usage.modelCost,
    }),
    n === 1 ? 0 : stay.index,
  );
  return composed.ok ? composed.output : undefined;
}

/**
 * The flights in and out of a stay, as the writer reads a round trip: the way in as `outbound`,
 * the way out as `inbound` (a round trip's own slices when one offer is both).
 */
function flightsInOut(
  arriving: FlightOffer | undefined,
  leaving: FlightOffer | undefined,
): FlightChoice | undefined {
  if (!arriving && !leaving) return undefined;
  if (arriving && arriving === leaving) return flightChoiceOf(arriving);
  const outbound = arriving?.outbound;
  const inbound = leaving?.outbound;
  return {
    found: true,
    description: [arriving, leaving]
      .filter((o): o is FlightOffer => o !== undefined)
      .map(describeFlight)
      .join(' · '),
    details: { ...(outbound ? { outbound } : {}), ...(inbound ? { inbound } : {}) },
  };
}

/** A stay without an airport in town: the airport its flight lands at and the distance over land. */
function groundOf(
  stay: StayPart,
  arriving: FlightOffer | undefined,
): { ground?: { airport: string; km: number } } {
  if (!stay.place.ground) return {};
  const landsAt = arriving?.outbound.to ?? stay.place.airport;
  const served = stay.place.airports?.find((a) => a.iata === landsAt);
  return served && !served.inTown
    ? { ground: { airport: served.iata, km: Math.round(served.distanceKm) } }
    : {};
}

function hotelOf(offers: VerifiedOffers, shape: TripShape, stay: StayPart): { hotel?: HotelChoice } {
  const offer = offers.hotels[partKey('hotels', stay.index, shape.stays.length)];
  return offer ? { hotel: hotelChoiceOf(offer) } : {};
}

/** Days of consecutive stays, joined: the day one stay ends and the next begins is one day. */
function joinDays(stays: readonly Day[][]): Day[] {
  const days: Day[] = [];
  for (const stayDays of stays) {
    for (const day of stayDays) {
      const last = days.at(-1);
      if (last?.date !== day.date) {
        days.push(day);
        continue;
      }
      // The stay that ends names the day ("On to Florence"); the next one's arrival follows.
      days[days.length - 1] = {
        ...day,
        title: last.title,
        plan: [...last.plan, ...day.plan],
        ...(last.meals || day.meals ? { meals: [...(last.meals ?? []), ...(day.meals ?? [])] } : {}),
      };
    }
  }
  return days;
}

/** The flight as the itinerary shows it: the choice's shape, every field from the server's offer. */
function flightChoiceOf(offer: FlightOffer): FlightChoice {
  return {
    found: true,
    offerId: offer.offerId,
    description: describeFlight(offer),
    totalUsd: offer.totalPrice.amount,
    details: offer,
  };
}

function hotelChoiceOf(offer: HotelOffer): HotelChoice {
  return {
    found: true,
    offerId: offer.offerId,
    name: offer.hotel.name,
    description: describeHotel(offer),
    totalUsd: offer.totalPrice.amount,
    nightlyUsd: Math.round((offer.totalPrice.amount / offer.nights) * 100) / 100,
    details: offer,
  };
}

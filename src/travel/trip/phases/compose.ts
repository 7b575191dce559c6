/**
 * Compose: the itinerary agent writes the days around the verified offers (real departure and
 * arrival times, the hotel as booked), the weather and the restaurants. What is money or fact is
 * then set in code: the cost breakdown and the summary from the quote, the flights and hotel as
 * their servers stated them — whatever the model wrote there.
 */
import { runAgent } from '../../../agents/orchestration/run-agent';
import { itinerary as itineraryAgent, type FlightChoice, type HotelChoice } from '../../agents';
import type { Itinerary, Quote, TripFacts } from '../../schemas';
import { describeFlight, describeHotel, type FlightOffer, type HotelOffer } from '../offers';
import { costsOf, summaryOf } from '../pricing';
import { ended, next, type Gen, type PhaseOutcome, type TripRun, type VerifiedOffers } from '../trip-run';

export function* compose(
  trip: TripRun,
  facts: TripFacts,
  quote: Quote,
  offers: VerifiedOffers,
): Gen<PhaseOutcome<Itinerary>> {
  const { context, frame, findings } = trip;
  const composed = yield* runAgent(
    context,
    frame.run,
    itineraryAgent,
    JSON.stringify({
      facts: {
        destination: facts.destination?.name,
        origin: facts.origin?.name,
        startDate: facts.startDate,
        endDate: facts.endDate,
        travellers: facts.travellers,
        interests: facts.interests ?? [],
        budgetUsd: facts.budget?.usd,
      },
      flights: { ...findings.flights, found: true, details: offers.flight },
      hotel: { ...findings.hotels, found: true, details: offers.hotel },
      weather: findings.weather,
      restaurants: findings.restaurants,
      aiCostUsd: frame.tracker.usage.modelCost,
    }),
  );
  frame.publish();
  if (!composed.ok) {
    return ended(
      frame.finish('failed', {
        error: composed.result.error ?? { code: 'compose_failed', message: 'No itinerary.' },
        result: { data: findings },
      }),
    );
  }
  const written = composed.output;
  return next({
    ...written,
    summary: summaryOf(quote, facts, written.days.length),
    ...(offers.flight ? { flights: flightChoiceOf(offers.flight) } : {}),
    ...(offers.hotel ? { hotel: hotelChoiceOf(offers.hotel) } : {}),
    costs: costsOf(quote, frame.tracker.usage.modelCost, facts),
  });
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

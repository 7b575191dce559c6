/**
 * The trip requests the end-to-end tests send, each named for what the run does with it.
 */

/** The README's trip: every fact in one sentence; the run plans it to the end within budget. */
export const HIKING_TRIP = {
  request: 'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
};

/** The README trip's facts, as the fields a request or an answer gives them. */
export const HIKING_TRIP_FIELDS = {
  origin: 'Seattle',
  destination: 'El Calafate',
  startDate: '2027-03-10',
  endDate: '2027-03-14',
  travellers: 2,
  budget: { amount: 5000, currency: 'USD' },
};

/** `request`, to be booked: with the contact and the travellers' names a booking needs. */
export const bookingOf = (request: string) => ({
  request,
  book: true,
  contactEmail: 'ada@example.org',
  travellerNames: [
    { firstName: 'Ada', lastName: 'Lovelace' },
    { firstName: 'Charles', lastName: 'Babbage' },
  ],
});

/** The README's trip, to be booked. */
export const BOOKING_TRIP = bookingOf(HIKING_TRIP.request);

/** Every fact given as a field and no booking: the run completes without waiting for anyone. */
export const COMPLETE_TRIP = {
  request: 'Weather in Punta Arenas, please',
  origin: 'Buenos Aires',
  destination: 'Punta Arenas',
  startDate: '2027-01-10',
  endDate: '2027-01-13',
  travellers: 2,
  budget: { amount: 3000, currency: 'USD' },
};

/** Lacks the facts to plan: the run asks for them and stays unfinished, waiting for input. */
export const VAGUE_TRIP = { request: 'Plan me a trip somewhere nice' };

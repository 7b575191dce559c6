/**
 * What the understanding returns: the route, the facts (each with where it came from), the
 * inferences that change the request (stated or asked by the run), and the questions to ask in
 * one round. Stable: the orchestration, the eval and the CLI read this shape.
 */
import type { Topic, TripRoute } from '../schemas';
import type { Language } from './languages';

/** Where a fact came from: a span of the request's text, a field of the request, or an answer. */
export interface FactSource {
  from: 'text' | 'field' | 'answer' | 'model';
  /** UTF-16 offsets into the request: `request.slice(span[0], span[1])` is `text`. */
  span?: [number, number];
  text?: string;
  /** True when the fact is a reading, not what was written ("for two" → two adults). */
  inferred?: boolean;
  note?: string;
}

/** An airport that serves a place: in town, or a gateway with the distance over land. */
export interface AirportFact {
  iata: string;
  name: string;
  distanceKm: number;
  inTown: boolean;
}

export interface PlaceFact {
  /** As written ("Portland, Maine", "Lisboa", "東京"). */
  query: string;
  /** Stable id (a city's key, an IATA code, "town:<id>", "region:<name>", "country:<CC>"). */
  key: string;
  kind: 'city' | 'airport' | 'region' | 'country' | 'town';
  /** English name (curated places), else the GeoNames name. */
  name: string;
  /** ISO 3166-1 alpha-2 and English country name. */
  country: string;
  countryName: string;
  /** ISO 3166-2 where known ("US-ME"). */
  region?: string;
  otherNames: readonly string[];
  airports: AirportFact[];
  /** How to get there when no airport is in town ("fly to … then by train or road"). */
  ground?: string;
}

export interface LegFact {
  place: PlaceFact;
  nights?: number;
}

export interface PartyFact {
  adults: number;
  /** One entry per child: the age when given, else null. */
  children: (number | null)[];
  infants: number;
}

export interface UnderstoodFacts {
  origin?: PlaceFact;
  legs?: LegFact[];
  startDate?: string;
  endDate?: string;
  nights?: number;
  party?: PartyFact;
  /** Seats: adults + children + infants. */
  travellers?: number;
  rooms?: number;
  budget?: { amount: number; currency: string };
  interests?: string[];
  dietary?: string[];
  cabin?: 'economy' | 'premium_economy' | 'business' | 'first';
  book?: boolean;
  bookingId?: string;
}

/** An inference that changes the request: the run states it, or asks. */
export interface Inference {
  field: string;
  note: string;
}

/** A question for the traveller: a fact missing or in doubt, with a proposal where there is one. */
export interface Question {
  path: string;
  issue: string;
  proposal?: unknown;
}

export interface Understanding {
  route: TripRoute;
  topics: Topic[];
  language: Language;
  facts: UnderstoodFacts;
  /** Per fact path ("origin", "legs.1", "startDate", "party", "budget"…): where it came from. */
  sources: Record<string, FactSource>;
  inferences: Inference[];
  questions: Question[];
  /** A polite answer when the request is out of scope. */
  reply?: string;
}

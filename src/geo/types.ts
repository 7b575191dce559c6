/** The gazetteer's public shapes: what the MCP servers and the agents read places as. */

export interface Airport {
  iata: string;
  icao?: string;
  name: string;
  /**
   * The city the airport serves: the curated city's English name for airports in the city table,
   * otherwise a label derived from the airport's name (the source has no city field), e.g.
   * "Aalborg" for "Aalborg Airport".
   */
  cityName: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** IANA time zone. */
  timeZone: string;
  lat: number;
  lon: number;
  /** The source's size class: large airports are the usual gateways for a region. */
  size: 'large' | 'medium' | 'small';
  /**
   * Not set today: the source's `elevation_ft` disagrees with other references for most rows
   * (e.g. La Paz El Alto 8,301 ft instead of ~13,300), so we do not offer it as fact.
   */
  elevationM?: number;
}

export interface City {
  /** Stable id: the main airport's IATA code ("LHR" for London). */
  key: string;
  /** English name ("Cologne"). */
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** English country name ("Germany"). */
  countryName: string;
  /** ISO 3166-2 subdivision for US, Canadian and Australian cities ("US-OR"). */
  region?: string;
  /** IANA time zone (the main airport's). */
  timeZone: string;
  /** The main airport's coordinates. */
  lat: number;
  lon: number;
  /** Airports with scheduled passenger service, most important first. */
  airports: readonly Airport[];
  /** Approximate elevation of the city centre in metres (curated). */
  elevationM?: number;
  /** Other names travellers use: native, former, short forms ("Köln", "Bombay", "NYC"). */
  otherNames: readonly string[];
}

export type PlaceMatch =
  | { kind: 'city'; city: City }
  | { kind: 'airport'; airport: Airport; city: City | undefined };

export interface PlaceMention {
  /** The mention as written in the text. */
  text: string;
  /** UTF-16 offsets into the text: `text.slice(start, end)` is the mention. */
  start: number;
  end: number;
  match: PlaceMatch;
}

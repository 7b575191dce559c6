import { describe, expect, it } from 'vitest';
import { findPlaces, lookupPlace, type PlaceMention } from '../../../src/geo';

const summary = (mentions: PlaceMention[]) =>
  mentions.map((m) => `${m.text}=${m.match.kind === 'city' ? m.match.city.key : m.match.airport.iata}`);

describe('findPlaces', () => {
  it('finds the places of a trip request in text order, with offsets', () => {
    const text = 'Plan a trip from Seattle to El Calafate in March';
    const found = findPlaces(text);
    expect(summary(found)).toEqual(['Seattle=SEA', 'El Calafate=FTE']);
    for (const mention of found) expect(text.slice(mention.start, mention.end)).toBe(mention.text);
  });

  it('prefers the longest name: New York over NEW, Salt Lake City, São Paulo with or without accents', () => {
    expect(summary(findPlaces('new york to salt lake city, then sao paulo'))).toEqual([
      'new york=JFK',
      'salt lake city=SLC',
      'sao paulo=GRU',
    ]);
    expect(summary(findPlaces('Zürich → Köln → St. Petersburg → Xi’an'))).toEqual([
      'Zürich=ZRH',
      'Köln=CGN',
      'St. Petersburg=LED',
      'Xi’an=XIY',
    ]);
  });

  it('reads codes only in capitals and ignores English words that are codes', () => {
    expect(summary(findPlaces('I fly BER to DOH and then IST for the weekend'))).toEqual([
      'BER=BER',
      'DOH=DOH',
      'IST=IST',
    ]);
    expect(summary(findPlaces('is there a bus for the man and his dog to ber'))).toEqual([]);
    expect(summary(findPlaces('FLY ME FROM BER TO NYC AND SEE THE SEA'))).toEqual(['BER=BER', 'NYC=JFK']);
  });

  it('does not mistake everyday words for cities', () => {
    expect(summary(findPlaces('a nice hotel where I can split the bill'))).toEqual([]);
    expect(summary(findPlaces('Nice in May, then Split'))).toEqual(['Nice=NCE', 'Split=SPU']);
    expect(summary(findPlaces('la la land, in LA'))).toEqual(['LA=LAX']);
    expect(summary(findPlaces('La Paz and Las Vegas'))).toEqual(['La Paz=LPB', 'Las Vegas=LAS']);
  });

  it('reads a state or country after a comma as part of the mention, not as another place', () => {
    expect(summary(findPlaces('From Seattle, Washington to New York, NY, then Paris, France'))).toEqual([
      'Seattle, Washington=SEA',
      'New York, NY=JFK',
      'Paris, France=CDG',
    ]);
    expect(summary(findPlaces('Lisbon, Porto and Madrid'))).toEqual([
      'Lisbon=LIS',
      'Porto=OPO',
      'Madrid=MAD',
    ]);
  });

  it('does not join names across sentence punctuation', () => {
    expect(summary(findPlaces('Go to New, York is later'))).toEqual([]);
  });

  it('gives mentions whose text resolves, as written, to the same place', () => {
    const text =
      'From Seattle, WA via Heathrow and São Paulo to El Calafate, Argentina; back through LAX and Köln';
    const found = findPlaces(text);
    expect(found.map((mention) => mention.text)).toEqual([
      'Seattle, WA',
      'Heathrow',
      'São Paulo',
      'El Calafate, Argentina',
      'LAX',
      'Köln',
    ]);
    for (const mention of found) expect(lookupPlace(mention.text), mention.text).toEqual(mention.match);
  });

  it('finds nothing in text without places', () => {
    expect(findPlaces('')).toEqual([]);
    expect(findPlaces('Plan something relaxing for two weeks')).toEqual([]);
  });
});

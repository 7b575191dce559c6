/**
 * Monthly climate normals for curated cities, keyed by the city's key (its main airport): the
 * mean daily high and low (°C), the mean precipitation (mm) and the mean number of days with
 * precipitation, January to December. Facts only, each city with its source: the climate table of
 * the city's Wikipedia article, which reproduces the national weather service's (or NOAA's, or the
 * WMO's) normals for the station and period named.
 *
 * How they were written down: this project's machines have no internet, so the figures were
 * transcribed from memory of those published tables and rounded (temperatures to about 0.5 °C,
 * precipitation to about 5 mm). They are checked here for consistency only (twelve months, highs
 * above lows); expect temperatures within about 1 °C and precipitation within about 20 % of the
 * source. Wet days are counted as the source counts them (most ≥ 1 mm; NOAA ≥ 0.01 in). A city not
 * listed gets the latitude-and-elevation estimate, labelled as such (climate.ts).
 */

export interface MonthlyNormals {
  /** Where the figures come from: publisher, station and period. */
  source: string;
  highC: readonly number[];
  lowC: readonly number[];
  precipitationMm: readonly number[];
  wetDays: readonly number[];
}

function n(source: string, high: string, low: string, precipitation: string, wet: string): MonthlyNormals {
  const list = (text: string) => text.trim().split(/\s+/).map(Number);
  return {
    source,
    highC: list(high),
    lowC: list(low),
    precipitationMm: list(precipitation),
    wetDays: list(wet),
  };
}

const WIKI = 'Wikipedia climate table';

export const CLIMATE_NORMALS: Readonly<Record<string, MonthlyNormals>> = {
  KEF: n(
    `${WIKI}, Reykjavík: Icelandic Met Office, Reykjavík station, 1991–2020`,
    '3 3 4 6.5 9.5 12 14 13.5 11 7.5 4.5 3',
    '-2 -2 -1.5 1 4 7 8.5 8 6 2.5 0 -1.5',
    '90 80 85 60 45 50 50 60 75 90 75 90',
    '15 13 14 12 10 10 10 12 13 15 13 15',
  ),
  DXB: n(
    `${WIKI}, Dubai: Dubai Meteorological Office, Dubai International Airport, 1977–2020`,
    '24 25.5 28 33 37.5 39.5 41 41 39 35.5 30.5 26',
    '14.5 15.5 17.5 21 25 27.5 30 30 27.5 24 20 16',
    '19 25 22 7 0.5 0 1 0 0 1 3 16',
    '2 2.5 2.5 1 0.2 0 0.1 0 0 0.1 0.4 2',
  ),
  LHR: n(
    `${WIKI}, London: Met Office, Heathrow, 1991–2020`,
    '8.5 9 11.5 15 18.5 21.5 23.5 23 20.5 16 11.5 9',
    '2.5 2.5 4 6 9 12 14 14 11.5 9 5.5 3',
    '55 45 40 45 50 45 45 50 50 65 65 55',
    '11 10 9 9 8 8 8 8 8 11 11 11',
  ),
  CDG: n(
    `${WIKI}, Paris: Météo-France, Paris-Montsouris, 1991–2020`,
    '7.5 9 12.5 16 19.5 23 25.5 25 21 16.5 11 8',
    '3 3.5 6 8 11.5 14.5 16.5 16.5 13.5 10.5 6.5 4',
    '50 40 45 45 60 50 60 60 45 55 50 60',
    '10 9 9 9 9 8 7 7 7 9 10 11',
  ),
  PRG: n(
    `${WIKI}, Prague: Czech Hydrometeorological Institute, Ruzyně, 1991–2020`,
    '1.5 3.5 8 14 19 22.5 24.5 24.5 19 13.5 7 2.5',
    '-3.5 -3 0 3.5 8 11.5 13.5 13 9 5 1 -2.5',
    '25 20 30 30 60 70 75 65 40 30 30 25',
    '7 6 7 6 9 10 10 9 7 6 7 7',
  ),
  AMS: n(
    `${WIKI}, Amsterdam: KNMI, Schiphol, 1991–2020`,
    '6.5 7 10.5 14.5 18 20.5 23 22.5 19.5 15 10 7',
    '1.5 1 3 5 8.5 11 13.5 13 10.5 7.5 4.5 2',
    '70 55 50 40 55 65 75 85 85 80 80 80',
    '13 11 11 9 9 9 10 11 11 13 14 14',
  ),
  BER: n(
    `${WIKI}, Berlin: Deutscher Wetterdienst, Berlin-Tempelhof, 1991–2020`,
    '3.5 5 9 15 19.5 23 25 24.5 20 14 8 4',
    '-1.5 -1 1.5 5 9.5 12.5 15 14.5 11 7 3 0',
    '40 35 35 30 55 60 65 60 45 40 40 45',
    '10 8 8 7 8 8 9 8 7 8 9 10',
  ),
  FCO: n(
    `${WIKI}, Rome: Aeronautica Militare, Ciampino, 1991–2020`,
    '12.5 14 16.5 19.5 24 28.5 31.5 32 27.5 22.5 17 13.5',
    '2.5 3 5 8 12 15.5 18 18 15 11.5 7 3.5',
    '70 75 60 70 45 25 20 30 80 110 115 85',
    '7 7 7 8 5 3 2 3 5 8 9 8',
  ),
  MAD: n(
    `${WIKI}, Madrid: AEMET, Retiro, 1991–2020`,
    '10.5 12.5 16 18.5 22.5 28.5 32 31.5 26.5 20 13.5 10.5',
    '3 3.5 6 8 12 17 20 19.5 16 11 6.5 3.5',
    '35 35 35 45 50 20 10 10 30 55 50 45',
    '6 5 5 7 6 3 1 2 3 6 6 6',
  ),
  BCN: n(
    `${WIKI}, Barcelona: AEMET, Barcelona Airport, 1991–2020`,
    '14 15 17 19 22 26 28.5 29 26.5 22.5 18 15',
    '5 5.5 7.5 10 13.5 17.5 20.5 20.5 17.5 13.5 8.5 6',
    '40 30 40 45 50 30 20 60 80 90 50 40',
    '5 4 5 6 6 4 2 4 6 7 5 6',
  ),
  LIS: n(
    `${WIKI}, Lisbon: IPMA, Lisboa Geofísico, 1981–2010`,
    '15 16 19 20 22.5 26 28 28.5 26.5 23 18.5 15.5',
    '8.5 9 11 12 14 16.5 18 18.5 17.5 15 11.5 9.5',
    '100 95 60 65 50 10 5 5 30 95 120 130',
    '11 10 8 9 6 2 1 1 4 9 11 12',
  ),
  ATH: n(
    `${WIKI}, Athens: Hellenic National Meteorological Service, Elliniko, 1955–2010`,
    '14 14.5 16.5 20 25 29.5 32.5 32.5 28.5 24 19 15.5',
    '7 7.5 9 12 16 20.5 23 23 20 16 12 8.5',
    '50 40 40 25 15 5 5 5 10 40 55 65',
    '7 6 6 4 2 1 0.5 0.5 2 4 6 8',
  ),
  IST: n(
    `${WIKI}, Istanbul: Turkish State Meteorological Service, Sarıyer (Kireçburnu), 1991–2020`,
    '9 9.5 12 16.5 21.5 26 28.5 28.5 25 20 15 11',
    '4 3.5 5.5 8.5 13.5 17.5 20.5 21 18 14 9.5 6',
    '100 80 70 45 35 35 30 45 60 95 100 120',
    '12 10 9 7 5 4 3 3 5 8 10 12',
  ),
  JFK: n(
    `${WIKI}, New York City: NOAA, Central Park, 1991–2020`,
    '4 5.5 10 16.5 22 27 29.5 29 25 18.5 12 6.5',
    '-2.5 -1.5 2 7 12.5 17.5 21 20.5 16.5 10.5 5 0.5',
    '90 80 110 105 100 110 115 115 100 100 90 105',
    '11 10 11 11.5 11.5 11 10.5 9.5 9 9.5 9.5 11.5',
  ),
  SEA: n(
    `${WIKI}, Seattle: NOAA, Seattle–Tacoma International Airport, 1991–2020`,
    '8.5 9.5 12 15 19 22 26 26 22.5 16.5 11 8',
    '2.5 2 4 5.5 9 11.5 14 14 12 8 4.5 2.5',
    '145 95 95 70 50 40 15 25 40 90 160 135',
    '19 15 17.5 15.5 11.5 9 4 4.5 8 14 19.5 19',
  ),
  LAX: n(
    `${WIKI}, Los Angeles: NOAA, Downtown Los Angeles (USC), 1991–2020`,
    '20 20.5 21.5 23 24 26.5 29 29.5 29 26 23 20',
    '9.5 10 11.5 13 15 16.5 18.5 18.5 18 15.5 11.5 9.5',
    '80 95 60 20 5 0 0 0 5 15 25 60',
    '6 6 5 3 1 0.5 0.3 0.3 1 2 3 5',
  ),
  SFO: n(
    `${WIKI}, San Francisco: NOAA, Downtown San Francisco, 1991–2020`,
    '14.5 16 17.5 18.5 19.5 20.5 21 21.5 22.5 21.5 18 15',
    '8 8.5 9.5 10 11 12 13 13.5 13.5 12.5 10 8',
    '115 110 80 35 20 5 0 0 5 30 65 115',
    '11 11 10 6 3 1 0.4 0.6 1.5 4 8 11',
  ),
  ORD: n(
    `${WIKI}, Chicago: NOAA, O'Hare International Airport, 1991–2020`,
    '-0.5 2 8.5 15 21.5 27 29 28 24 17 9 2',
    '-9.5 -8 -2.5 3 8.5 14.5 18 17.5 13 6 -0.5 -6.5',
    '50 50 65 95 105 115 100 105 85 85 65 55',
    '11 9.5 11 12 12 11 10 10 8.5 10 10 11',
  ),
  MIA: n(
    `${WIKI}, Miami: NOAA, Miami International Airport, 1991–2020`,
    '24.5 25.5 26.5 28.5 30.5 31.5 32.5 32.5 31.5 30 27.5 25.5',
    '16 17.5 19 21 23.5 25 25.5 25.5 25 23.5 20.5 18',
    '40 55 70 80 155 250 175 215 235 170 90 60',
    '7 6 6 6 10 16 16 18 17 13 8 7',
  ),
  HND: n(
    `${WIKI}, Tokyo: Japan Meteorological Agency, Tokyo (Kitanomaru), 1991–2020`,
    '10 11 14 19.5 23.5 26 30 31.5 27.5 22 16.5 12',
    '1 2 5 10 14.5 18.5 22.5 23.5 20.5 15 9 4',
    '60 55 115 135 140 170 155 155 225 235 95 60',
    '5 6 10 11 11 13 12 9 12 11 8 6',
  ),
  SIN: n(
    `${WIKI}, Singapore: Meteorological Service Singapore, Changi, 1991–2020`,
    '30.5 31.5 32 32.5 32 31.5 31 31 31 31.5 31 30.5',
    '23.5 24 24 25 25.5 25.5 25 25 24.5 24.5 24 23.5',
    '220 105 155 165 160 135 155 150 140 165 255 290',
    '13 8 11 12 13 12 13 13 12 14 18 18',
  ),
  BKK: n(
    `${WIKI}, Bangkok: Thai Meteorological Department, Bangkok Metropolis, 1991–2020`,
    '32.5 33.5 34.5 35 34 33 32.5 32.5 32.5 32 32 31.5',
    '22.5 24 25.5 26.5 26 25.5 25.5 25 25 24.5 23.5 22',
    '15 20 50 75 190 150 170 205 330 240 50 10',
    '1 2 4 6 15 15 16 19 21 17 6 1',
  ),
  SYD: n(
    `${WIKI}, Sydney: Bureau of Meteorology, Observatory Hill, 1991–2020`,
    '26 26 25 22.5 20 17.5 17 18.5 20.5 22.5 23.5 25.5',
    '19 19 18 15 12 10 8.5 9.5 11.5 14 16 17.5',
    '90 130 130 125 120 130 70 80 70 75 85 75',
    '8 9 10 8 8 8 6 5 6 7 8 8',
  ),
  CPT: n(
    `${WIKI}, Cape Town: South African Weather Service, Cape Town International Airport, 1991–2020`,
    '26 26.5 25.5 23 20.5 18.5 18 18.5 19.5 21.5 23.5 25',
    '15.5 15.5 14.5 12 9.5 7.5 7 7.5 8.5 10.5 13 14.5',
    '15 15 20 40 70 95 80 75 40 30 15 15',
    '3 3 4 7 10 11 11 11 8 6 4 3',
  ),
  EZE: n(
    `${WIKI}, Buenos Aires: Servicio Meteorológico Nacional, Buenos Aires Central Observatory, 1991–2020`,
    '30 28.5 27 23 19.5 16 15.5 17.5 19.5 22.5 25.5 28.5',
    '20 19.5 18 14 11 8 7.5 9 10.5 13.5 16.5 18.5',
    '135 130 120 140 90 60 70 70 80 130 115 105',
    '9 8 9 9 7 7 7 6 7 10 9 9',
  ),
  HKG: n(
    `${WIKI}, Hong Kong: Hong Kong Observatory, Tsim Sha Tsui, 1991–2020`,
    '18.5 19.5 22 25.5 28.5 30.5 31.5 31.5 30.5 28 24.5 20.5',
    '14.5 15.5 17.5 21 24 26 26.5 26.5 25.5 23.5 20 16',
    '35 45 75 150 305 455 375 430 325 100 40 25',
    '5 8 10 11 14 18 17 17 14 7 5 4',
  ),
  CAI: n(
    `${WIKI}, Cairo: Egyptian Meteorological Authority, Cairo, 1971–2000`,
    '19.5 21 24 28 32 34 35 34.5 33 30 25 21',
    '9.5 10.5 12.5 15 18 20.5 22.5 22.5 21 18 14 11',
    '5 4 4 1 0 0 0 0 0 1 3 6',
    '1 1 1 0.3 0.2 0 0 0 0 0.3 0.6 1',
  ),
  RAK: n(
    `${WIKI}, Marrakesh: Direction de la Météorologie Nationale, Marrakesh–Menara Airport, 1991–2020`,
    '19 20.5 23 25 29 33 37 36.5 32 28 23 19.5',
    '6.5 8 10.5 12 15 17.5 21 21 19 15.5 11 7.5',
    '30 40 40 40 25 5 2 3 8 25 40 30',
    '4 4 5 4 3 1 0.5 1 2 4 4 4',
  ),
  DEL: n(
    `${WIKI}, New Delhi: India Meteorological Department, Safdarjung, 1991–2020`,
    '20 24 30 36.5 40.5 39.5 35.5 34 34 33 28 22.5',
    '7.5 10.5 15 20.5 25.5 28 27.5 26.5 25 19.5 13 8',
    '20 25 15 15 30 90 210 250 130 15 5 10',
    '2 2 2 1 2 5 11 11 6 1 0.5 1',
  ),
  BOM: n(
    `${WIKI}, Mumbai: India Meteorological Department, Santacruz, 1991–2020`,
    '30.5 31.5 32.5 33 33.5 32 30 29.5 31 33 33.5 32',
    '17.5 18.5 21 24 27 26.5 25.5 25.5 25 24 21.5 19',
    '1 0 0 1 15 530 840 580 340 90 10 2',
    '0.1 0.1 0.1 0.2 1 14 22 19 12 3 1 0.2',
  ),
  MEX: n(
    `${WIKI}, Mexico City: Servicio Meteorológico Nacional, Tacubaya, 1981–2010`,
    '21.5 23.5 25.5 27 27 25 23.5 23.5 23 22.5 22 21.5',
    '6 7.5 9.5 11 12 12.5 12 12 12 10.5 8.5 7',
    '10 5 10 25 55 140 165 160 130 60 10 5',
    '2 2 3 7 11 17 21 20 17 9 3 2',
  ),
  GIG: n(
    `${WIKI}, Rio de Janeiro: Instituto Nacional de Meteorologia (INMET), 1981–2010`,
    '32 32.5 31.5 30 28 27 26.5 27.5 27.5 28.5 29.5 31',
    '23 23.5 23 22 20 19 18.5 19 19.5 20.5 21.5 22.5',
    '135 125 135 95 80 55 45 45 60 90 105 140',
    '11 8 9 9 7 6 5 5 7 9 10 11',
  ),
  YYZ: n(
    `${WIKI}, Toronto: Environment and Climate Change Canada, Toronto Pearson Airport, 1981–2010`,
    '-1.5 -0.5 5 12.5 19.5 25 27.5 26.5 22.5 15 8 2',
    '-9 -8.5 -3.5 2.5 8.5 13.5 16.5 16 11.5 5.5 -0.5 -5.5',
    '60 55 55 75 80 85 80 70 75 70 75 60',
    '14 11 11 12 12 11 10 10 10 12 13 13',
  ),
  YVR: n(
    `${WIKI}, Vancouver: Environment and Climate Change Canada, Vancouver International Airport, 1981–2010`,
    '7 8 10.5 13 16.5 19.5 22 22 19 13.5 9 6.5',
    '1.5 1.5 3.5 5.5 8.5 11.5 13.5 13.5 10.5 7 3.5 1',
    '170 105 115 90 65 55 35 35 50 120 190 160',
    '19 15 18 15 13 11 6 6 9 16 20 20',
  ),
  OSL: n(
    `${WIKI}, Oslo: Norwegian Meteorological Institute, Oslo–Blindern, 1991–2020`,
    '-0.5 0.5 4.5 10 16.5 20 23 21.5 16.5 9.5 4 0.5',
    '-5.5 -5.5 -3 1 6.5 10.5 13 12 8 3.5 -0.5 -4.5',
    '55 45 40 45 55 75 80 95 80 90 75 60',
    '10 8 8 8 9 10 11 12 10 11 11 10',
  ),
  ARN: n(
    `${WIKI}, Stockholm: SMHI, Stockholm–Observatoriekullen, 1991–2020`,
    '1 1 5 10.5 16 20.5 23 21.5 16.5 10 5 2',
    '-3.5 -4 -2 1.5 6.5 11 14 13 9 4.5 0.5 -2.5',
    '40 30 25 30 40 60 65 65 45 50 50 45',
    '9 7 6 6 7 8 8 9 7 9 10 9',
  ),
  VIE: n(
    `${WIKI}, Vienna: GeoSphere Austria, Innere Stadt, 1991–2020`,
    '4 6 11 16.5 21.5 25 27.5 27 21.5 15.5 9 4.5',
    '0 1 4 8.5 12.5 16 18 18 14 9 4.5 1',
    '40 35 50 40 65 70 75 70 60 45 45 45',
    '7 7 8 7 9 9 9 8 8 6 8 8',
  ),
  DUB: n(
    `${WIKI}, Dublin: Met Éireann, Dublin Airport, 1991–2020`,
    '8.5 9 10.5 12.5 15.5 18 19.5 19 17 14 10.5 8.5',
    '2.5 2.5 3.5 4.5 7 9.5 11.5 11.5 10 7.5 4.5 3',
    '65 50 50 50 55 60 60 70 60 80 75 70',
    '12 10 10 10 10 10 10 11 10 12 12 12',
  ),
  EDI: n(
    `${WIKI}, Edinburgh: Met Office, Royal Botanic Garden, 1991–2020`,
    '7 8 10 12.5 15.5 18 19.5 19 17 13 9.5 7.5',
    '1.5 1.5 3 4.5 7 9.5 11.5 11.5 9.5 6.5 4 1.5',
    '65 50 50 40 50 65 70 70 60 75 70 70',
    '12 10 10 9 10 10 10 11 10 12 12 12',
  ),
  HNL: n(
    `${WIKI}, Honolulu: NOAA, Daniel K. Inouye International Airport, 1991–2020`,
    '27 27 28 28.5 29.5 30.5 31 31.5 31.5 30.5 29 28',
    '19.5 19.5 20 21 22 23 23.5 24 23.5 23 22 20.5',
    '60 50 50 15 15 5 15 15 20 40 55 75',
    '8 7 8 6 5 5 7 6 6 7 9 9',
  ),
  LAS: n(
    `${WIKI}, Las Vegas: NOAA, Harry Reid International Airport, 1991–2020`,
    '14.5 17 21.5 26 31.5 37.5 40.5 39.5 34.5 27 19 14',
    '4 6 9.5 13 18.5 24 27.5 26.5 21.5 15 8.5 4',
    '15 20 10 5 2 1 10 10 5 5 10 10',
    '3 3 2 1 1 0.5 2 2 1 1 2 2',
  ),
  PEK: n(
    `${WIKI}, Beijing: China Meteorological Administration, Beijing, 1991–2020`,
    '2 5.5 13 21 27 30.5 31.5 30 26 19 10 3',
    '-8.5 -5.5 0.5 7.5 13.5 18.5 22 21 15.5 8 -0.5 -6.5',
    '2 5 10 20 35 70 175 135 50 25 10 2',
    '1 2 3 4 6 9 13 12 7 5 2 1',
  ),
  ICN: n(
    `${WIKI}, Seoul: Korea Meteorological Administration, Seoul, 1991–2020`,
    '1.5 4.5 11 18 23 27 29 30 26 20 12 4',
    '-5.5 -3.5 1.5 7.5 13 18 22 22.5 17.5 10.5 3.5 -3',
    '15 30 40 75 100 125 415 350 140 55 50 20',
    '6 5 7 8 9 10 16 15 9 6 8 7',
  ),
  AKL: n(
    `${WIKI}, Auckland: NIWA, Auckland (Mangere), 1991–2020`,
    '23.5 24 23 20.5 18 15.5 15 15.5 17 18.5 20.5 22.5',
    '16 16.5 15 13 11 9 8 8.5 10 11.5 12.5 14.5',
    '75 65 85 100 115 125 145 120 105 100 85 95',
    '8 7 9 10 12 14 15 14 12 11 9 9',
  ),
  LIM: n(
    `${WIKI}, Lima: SENAMHI, Campo de Marte, 1991–2020`,
    '26.5 27 27 25 22 20 19 18.5 19 20.5 22.5 24.5',
    '20 20.5 20 18.5 17 16 15.5 15.5 15.5 16 17 18.5',
    '1 1 1 0 0 1 1 2 1 0 0 0',
    '0.5 0.3 0.3 0.1 0.3 1 1.5 2 1 0.3 0.1 0.2',
  ),
  BOG: n(
    `${WIKI}, Bogotá: IDEAM, El Dorado International Airport, 1981–2010`,
    '19.5 20 20 19.5 19.5 18.5 18.5 19 19 19 19 19.5',
    '7.5 8 8.5 9 9 8.5 8 8 8 8.5 9 8',
    '40 55 85 115 105 60 45 50 65 115 110 65',
    '9 11 15 19 19 16 15 14 14 19 19 13',
  ),
  NBO: n(
    `${WIKI}, Nairobi: Kenya Meteorological Department, Dagoretti Corner, 1991–2020`,
    '24.5 25.5 25.5 24 22.5 21.5 20.5 21.5 23.5 24.5 23 23.5',
    '11.5 11.5 13 14 13 11 10 10 10.5 12.5 13 12.5',
    '60 45 75 160 140 35 20 25 30 60 160 100',
    '5 4 8 14 11 4 3 3 3 6 14 9',
  ),
  ZRH: n(
    `${WIKI}, Zürich: MeteoSwiss, Zürich/Fluntern, 1991–2020`,
    '3.5 5.5 10 14.5 18.5 22.5 24.5 23.5 19 14 8 4.5',
    '-2 -1.5 2 5 9 12.5 14.5 14 10.5 7 2.5 -1',
    '65 60 75 85 125 130 125 125 90 80 75 80',
    '10 9 11 11 13 13 12 12 10 10 10 11',
  ),
  DPS: n(
    `${WIKI}, Denpasar: BMKG, Ngurah Rai International Airport, 1991–2020`,
    '31 30.5 31 31 31 30 29.5 29.5 30 31 31.5 31',
    '23.5 23.5 23.5 23.5 23 22.5 22 22 22.5 23.5 23.5 23.5',
    '345 275 235 90 80 70 55 40 45 95 180 285',
    '16 15 13 7 6 6 5 3 4 7 11 15',
  ),
};

/**
 * Regions and islands travellers name as destinations, with the airports that serve them, most
 * used first. Curated by Waypoint from the airports' own listings (airport-data-js) and the
 * regions' Wikipedia entries; a region several airports serve keeps them all, so the run can say
 * which it chose or ask.
 */
export interface RegionRow {
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  airports: readonly string[];
  /** Names in other languages, ";"-separated. */
  otherNames: string;
}

export const REGION_ROWS: readonly RegionRow[] = [
  { name: 'Alpes-Maritimes', country: 'FR', airports: ['NCE'], otherNames: 'Alpes Maritimes' },
  {
    name: "Côte d'Azur",
    country: 'FR',
    airports: ['NCE', 'TLN'],
    otherNames: 'French Riviera; Cote d Azur; Côte d’Azur; Costa Azzurra; Costa Azul',
  },
  { name: 'Provence', country: 'FR', airports: ['MRS', 'AVN'], otherNames: 'Provenza' },
  {
    name: 'Corsica',
    country: 'FR',
    airports: ['AJA', 'BIA', 'FSC', 'CLY'],
    otherNames: 'Corse; Korsika; Córcega; Córsega',
  },
  { name: 'Crete', country: 'GR', airports: ['HER', 'CHQ'], otherNames: 'Kreta; Crète; Creta; Κρήτη; Крит' },
  { name: 'Algarve', country: 'PT', airports: ['FAO'], otherNames: '' },
  { name: 'Madeira', country: 'PT', airports: ['FNC'], otherNames: 'Madère' },
  {
    name: 'Tuscany',
    country: 'IT',
    airports: ['FLR', 'PSA'],
    otherNames: 'Toskana; Toscane; Toscana; Toscana',
  },
  {
    name: 'Sicily',
    country: 'IT',
    airports: ['CTA', 'PMO'],
    otherNames: 'Sizilien; Sicile; Sicilia; Sicília',
  },
  {
    name: 'Sardinia',
    country: 'IT',
    airports: ['CAG', 'OLB', 'AHO'],
    otherNames: 'Sardinien; Sardaigne; Cerdeña; Sardenha; Sardegna',
  },
  {
    name: 'Amalfi Coast',
    country: 'IT',
    airports: ['NAP'],
    otherNames: 'Costiera Amalfitana; Amalfiküste; Côte amalfitaine; Costa Amalfitana',
  },
  {
    name: 'Lake Como',
    country: 'IT',
    airports: ['MXP', 'BGY', 'LIN'],
    otherNames: 'Lago di Como; Comer See; Lac de Côme',
  },
  {
    name: 'Dolomites',
    country: 'IT',
    airports: ['VCE', 'VRN', 'INN'],
    otherNames: 'Dolomiten; Dolomiti; Dolomitas',
  },
  { name: 'Bavaria', country: 'DE', airports: ['MUC', 'NUE'], otherNames: 'Bayern; Bavière; Baviera' },
  { name: 'Mallorca', country: 'ES', airports: ['PMI'], otherNames: '' },
  {
    name: 'Canary Islands',
    country: 'ES',
    airports: ['TFS', 'LPA', 'ACE', 'FUE'],
    otherNames: 'Kanaren; Canaries; Canarias; Canárias; Canarie',
  },
  { name: 'Scottish Highlands', country: 'GB', airports: ['INV'], otherNames: 'Highlands' },
  { name: 'Cornwall', country: 'GB', airports: ['NQY'], otherNames: 'Cornouailles' },
  {
    name: 'Hawaii',
    country: 'US',
    airports: ['HNL', 'OGG', 'KOA', 'LIH'],
    otherNames: 'Hawaï; Hawái; Havaí; ハワイ; 夏威夷',
  },
  {
    name: 'Patagonia',
    country: 'AR',
    airports: ['FTE', 'BRC', 'USH'],
    otherNames: 'Patagonien; Patagonie; Patagônia',
  },
  { name: 'Réunion', country: 'RE', airports: ['RUN'], otherNames: 'La Réunion; Reunion; Île de la Réunion' },
  { name: 'Bali', country: 'ID', airports: ['DPS'], otherNames: 'バリ島; 巴厘岛' },
  {
    name: 'Maldives',
    country: 'MV',
    airports: ['MLE'],
    otherNames: 'Malediven; Maldivas; Maldive; モルディブ; 马尔代夫',
  },
];

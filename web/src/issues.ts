/**
 * The API's field issues in plain words. The API explains itself in its own terms ("Too small:
 * expected string to have >=1 characters"); a traveller reads what to do about it instead. Its
 * own sentences (the run's questions, "not a real calendar date") pass through. Pure.
 */
const PLAIN: Readonly<Record<string, string>> = {
  request: 'Please tell us about the trip you have in mind.',
  origin: 'Please enter where you are travelling from: a city or an airport code.',
  destination: 'Please enter where you want to go: a city or an airport code.',
  startDate: 'Please pick the day you leave.',
  endDate: 'Please pick the day you come back.',
  travellers: 'Please enter how many people travel (1 to 9).',
  budget: 'Please enter your budget as an amount and a currency.',
  'budget.amount': 'Please enter your budget as a number, e.g. 3000.',
  'budget.currency': 'Please pick a currency from the list, e.g. USD, EUR or GBP.',
  contactEmail: 'Please enter an e-mail address like name@example.com.',
  travellerNames: 'Please give a first and a last name for each traveller.',
};

/** Issues written for programmers: zod's defaults and JSON-path talk. */
const TECHNICAL = /expected|invalid|too (small|big)|>=|<=|received|unrecognized|\$|regex|must match/i;

export function plainIssue(path: string, issue: string): string {
  if (!TECHNICAL.test(issue)) return issue.charAt(0).toUpperCase() + issue.slice(1);
  const top = path.split('.')[0];
  return PLAIN[path] ?? PLAIN[top] ?? 'Please check this value.';
}

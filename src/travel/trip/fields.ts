/**
 * Facts as fields: what the traveller wrote as fields on the request, and what the router read
 * from the text, in the one shape the facts are merged from (explicit fields win over the text).
 */
import type { RouterAnswer } from '../agents';
import type { TripPlannerInput } from '../planner-input';
import { tripInputBodySchema, type TripFields } from '../schemas';

/** What the traveller wrote as fields on the request. */
export function explicitFields(body: TripPlannerInput['body']): TripFields {
  const { request: _request, book: _book, budgets: _budgets, ...fields } = body;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as TripFields;
}

/** The router's facts as fields, each checked by the request schema's own rules. */
export function factsAsFields(answer: RouterAnswer): TripFields {
  const f = answer.facts;
  const fields: TripFields = {};
  if (f.origin) fields.origin = f.origin;
  if (f.destination) fields.destination = f.destination;
  if (f.startDate && /^\d{4}-\d{2}-\d{2}$/.test(f.startDate)) fields.startDate = f.startDate;
  if (f.endDate && /^\d{4}-\d{2}-\d{2}$/.test(f.endDate)) fields.endDate = f.endDate;
  if (f.travellers !== undefined && f.travellers <= 9) fields.travellers = f.travellers;
  if (f.budget) {
    const parsed = tripInputBodySchema.safeParse({ budget: f.budget });
    if (parsed.success && parsed.data.budget) fields.budget = parsed.data.budget;
  }
  return fields;
}

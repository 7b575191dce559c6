/**
 * The understanding of a traveller's request: route, facts with their sources, the inferences
 * that change the request, and the questions to ask in one round. See `types.ts` for the shape.
 */
export { understand, placeFact } from './assemble';
export { reconcileRouterAnswer } from './reconcile';
export { detectLanguage, LANGUAGES, type Language } from './languages';
export { roomsFor, travellersOf, ADULTS_PER_ROOM, GUESTS_PER_ROOM } from './party';
export { addDays, nightsBetween } from './dates';
export type * from './types';

/**
 * What kind of request this is. Out of scope only on positive evidence — a request about
 * something else (a recipe, a poem, code, general knowledge) or an attempt to change the
 * planner's instructions, with no trip in it — never for a missing keyword: a place with dates,
 * a party or a budget is a trip in any language.
 */
import type { Topic, TripRoute } from '../schemas';

/** Words of each topic in the planner's languages. */
const TOPIC_WORDS: Record<Topic, RegExp> = {
  flights:
    /(?<![\p{L}\p{N}])(fly|flies|flying|flight|flights|fare|fares|airfare|plane|airline|flug|flüge|vol|vols|vuelos?|voos?|voli|volo|vlucht(?:en)?|рейс)(?![\p{L}\p{N}])|航班|フライト|飛行機|机票/iu,
  hotels:
    /(?<![\p{L}\p{N}])(hotel|hotels|stay|staying|accommodation|lodging|hostel|where to sleep|unterkunft|hôtel|hôtels|hoteles|hotéis|albergo|alberghi|отель)(?![\p{L}\p{N}])|ホテル|酒店|宾馆/iu,
  weather:
    /(?<![\p{L}\p{N}])(weather|forecast|temperature|rain|rainy|sunny|climate|wetter|temps|météo|tiempo|clima|tempo|weer|погода)(?![\p{L}\p{N}])|天気|天气/iu,
  restaurants:
    /(?<![\p{L}\p{N}])(restaurants?|eat|eating|food|dinner|lunch|cuisine|dining|vegetarian|vegan|restaurante|restaurantes|ristorant[ei]|essen|manger|comer|mangiare|eten|ресторан)(?![\p{L}\p{N}])|レストラン|餐厅|美食/iu,
};

const TRIP_WORDS =
  /(?<![\p{L}\p{N}])(trip|travel|travelling|traveling|vacation|holiday|holidays|getaway|itinerary|plan|visit|visiting|tour|honeymoon|journey|weekend|offsite|ski|reise|urlaub|rundreise|ausflug|wochenende|voyage|vacances|séjour|week-end|viaje|vacaciones|escapada|viagem|férias|viaggio|vacanza|gita|reis|vakantie|uitje|resa|semester|поездка|отпуск)(?![\p{L}\p{N}])|旅行|旅游|家族旅行|一人旅|出張/iu;

const BOOKING_CHANGE =
  /(?<![\p{L}\p{N}])(cancel|change|modify|reschedule|amend|move|stornieren|ändern|umbuchen|annuler|modifier|cancelar|cambiar|modificar|alterar|cancellare|annullare|modificare|annuleren|wijzigen)\b[^.?!]{0,40}\b(booking|reservation|flight|hotel|buchung|reservierung|réservation|reserva|prenotazione|boeking|reservering)(?![\p{L}\p{N}])|\bBK-[A-Z0-9-]{4,}\b|予約.{0,6}(キャンセル|変更)|(取消|更改).{0,6}预订/iu;

/** Attempts to change the planner's instructions or read them out. */
const INJECTION =
  /(?<![\p{L}\p{N}])(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompt)(?![\p{L}\p{N}])|\bsystem ?prompt\b|\bignoriere\b.{0,40}\banweisungen\b|\bsystemprompt\b|\boublie\b.{0,30}\binstructions\b|\bolvida\b.{0,30}\binstrucciones\b|\bprompt del sistema\b|\bignore as instruções\b|\binstruções anteriores\b|\bconfiguração secreta\b|指示.{0,10}無視|システムプロンプト|忽略.{0,10}指令|系统提示|clé de l'api|api key/iu;

/** Requests about something other than travel. */
const OTHER_SUBJECTS =
  /(?<![\p{L}\p{N}])(capital of|poem|poems|haiku|joke|jokes|recipe|bug|code|script|python|javascript|laptop|password|router|who won|how (?:high|tall|old) is|what time is it|% of|hauptstadt|gedicht|witz|rezept|wie hoch|wie spät|recette|poème|blague|receta|poema|chiste|quién ganó|receita|poesia|ricetta|come si fa|barzelletta|hoe laat|gedicht|recept|mop|how many (?:people|inhabitants)|population|einwohner|habitants|habitantes|abitanti|inwoners|translate|traduire|übersetze|traduce|traduza|traduci|cover letter|lettre de motivation|who wrote|wer schrieb|qui a écrit|quién escribió|quem escreveu|chi ha scritto|how old is|cuántos años tiene)(?![\p{L}\p{N}])|首都|詩|诗|レシピ|菜谱|笑话|几点/iu;

export interface ScopeEvidence {
  places: number;
  hasDates: boolean;
  hasParty: boolean;
  hasBudget: boolean;
  hasDuration: boolean;
}

export interface Scope {
  route: TripRoute;
  topics: Topic[];
  /** Why, in a few words (for the trace and the tests). */
  reason: string;
}

const ALL_TOPICS: readonly Topic[] = ['flights', 'hotels', 'weather', 'restaurants'];

/** The route for `text`, given what the other readers found in it. */
export function scopeOf(text: string, evidence: ScopeEvidence): Scope {
  const topics = ALL_TOPICS.filter((topic) => TOPIC_WORDS[topic].test(text));
  const tripFacts = evidence.hasParty || evidence.hasBudget || evidence.hasDuration || TRIP_WORDS.test(text);
  if (
    BOOKING_CHANGE.test(text) &&
    !/(?<![\p{L}\p{N}])(plan|planifier|planear|planeje|pianifica)(?![\p{L}\p{N}])/iu.test(text)
  )
    return { route: 'booking_change', topics: [], reason: 'asks to change or cancel a booking' };
  if (INJECTION.test(text) && !(evidence.places > 0 && (evidence.hasDates || tripFacts)))
    return { route: 'out_of_scope', topics: [], reason: 'asks to change or reveal the instructions' };
  // A price or a place alone ("a laptop under $1000", "the capital of Australia") is no trip: dates, a party or a duration are.
  const tripBesidesMoney =
    evidence.hasParty || evidence.hasDuration || evidence.hasDates || TRIP_WORDS.test(text);
  if (OTHER_SUBJECTS.test(text) && !tripBesidesMoney)
    return { route: 'out_of_scope', topics: [], reason: 'asks about something other than travel' };
  if (evidence.places === 0 && !tripFacts && !evidence.hasDates && topics.length === 0)
    return {
      route: 'out_of_scope',
      topics: [],
      reason: 'names no place, date, party, budget or travel topic',
    };
  // "Find flights … for 2 passengers", "Hotels in Paris … for 2 guests": one topic, however many travel.
  if (topics.length === 1 && !(evidence.hasBudget || evidence.hasDuration || TRIP_WORDS.test(text)))
    return { route: 'single_question', topics, reason: `one ${topics[0]} question` };
  return { route: 'full_trip', topics: [...ALL_TOPICS], reason: 'a trip' };
}

export const OUT_OF_SCOPE_REPLY =
  "I'm a travel planner: I can plan trips, find flights and hotels, check the weather and suggest restaurants. " +
  "I can't help with that request, but tell me where you'd like to go.";

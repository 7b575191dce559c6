/**
 * The support desk's offline policies: for each agent, the decision a capable model would make on
 * the same messages, by rules — deterministic, no network — so the desk runs end to end with the
 * offline model. The billing specialist refunds what is asked and leaves the desk's refund limit
 * to the supervisor (separation of duties), which is what makes a revision round happen.
 */
import type { Review } from '../../agents/orchestration/supervise';
import type { OfflineDecision, OfflinePolicies } from '../../models/offline';
import type { ChatMessage, ModelRequest } from '../../models/types';
import type { DeskPolicy, SupportReply, SupportRoute, Triage } from './schemas';

/** The agent's task: the first user message, parsed as JSON (the desk sends tasks as JSON). */
function taskOf<T>(request: ModelRequest): Partial<T> {
  const first = request.messages.find(
    (message): message is Extract<ChatMessage, { role: 'user' }> => message.role === 'user',
  );
  try {
    return JSON.parse(first?.content ?? '{}') as Partial<T>;
  } catch {
    return {};
  }
}

const BILLING =
  /\b(invoice|invoices|bill|billed|billing|charge|charged|charges|refund|refunded|payment|paid|pay|subscription|plan|receipt|price|pricing)\b|\bINV-\d+/i;
const TECHNICAL =
  /\b(error|errors|crash|crashes|crashed|bug|log ?in|sign ?in|password|install|installing|slow|freez(e|es|ing)|broken|not working|sync|syncing|upload|timeout)\b|\bE\d{3,5}\b/i;

const INVOICE = /\b(INV-\d{3,10})\b/i;
const ERROR_CODE = /\b(E\d{3,5}|HTTP \d{3})\b/;
const AMOUNT = /(?:\$|USD\s?)(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s?(?:USD|dollars)\b/i;

/** Reads a ticket: where it goes and the references it states. */
export function triageTicket(message: string): Triage {
  const billing = BILLING.test(message);
  const technical = TECHNICAL.test(message);
  if (!billing && !technical) {
    return {
      route: 'out_of_scope',
      facts: {},
      reply:
        'Thanks for writing. This desk helps with billing and technical questions about your subscription; ' +
        "I can't help with that one.",
    };
  }
  const facts: Triage['facts'] = {};
  const invoice = INVOICE.exec(message)?.[1];
  if (invoice) facts.invoiceId = invoice.toUpperCase();
  const amount = AMOUNT.exec(message);
  if (amount) facts.amountUsd = Number(amount[1] ?? amount[2]);
  const code = ERROR_CODE.exec(message)?.[1];
  if (code) facts.errorCode = code;
  // A ticket that names an invoice or asks for money back is billing, whatever else it says.
  const route: SupportRoute =
    billing && (invoice || /refund/i.test(message) || !technical) ? 'billing' : 'technical';
  return { route, facts };
}

interface SpecialistTask {
  message: string;
  facts: Triage['facts'];
  feedback?: string;
}

function billingReply(task: Partial<SpecialistTask>): SupportReply {
  const facts = task.facts ?? {};
  const invoice = facts.invoiceId;
  const references = invoice ? [invoice] : [];
  const about = invoice ? ` for invoice ${invoice}` : '';
  const wantsRefund = /refund|money back|charged twice|double charge/i.test(task.message ?? '');
  if (wantsRefund && facts.amountUsd !== undefined) {
    if (/escalat|billing team/i.test(task.feedback ?? '')) {
      return {
        reply:
          `I've passed your refund request of ${facts.amountUsd} USD${about} to our billing team, who ` +
          'handle refunds of this size; they will reply within two business days.',
        action: 'escalate',
        references,
      };
    }
    return {
      reply: `I've refunded ${facts.amountUsd} USD${about}. It will show on your statement in 3–5 business days.`,
      action: 'refund',
      refundUsd: facts.amountUsd,
      references,
    };
  }
  return {
    reply:
      `Your subscription renews monthly; the charge${about} is the plan price plus tax. ` +
      'Your invoices are under Settings → Billing.',
    action: 'answer',
    references,
  };
}

const STEPS: [RegExp, string[]][] = [
  [
    /log ?in|sign ?in|password/i,
    [
      'Reset your password from the sign-in page',
      'Check the reset email in your spam folder',
      'Sign in again in a private window',
    ],
  ],
  [
    /slow|freez|timeout/i,
    ['Update to the latest version', 'Clear the app cache', 'Restart the app and try again'],
  ],
  [
    /install/i,
    ['Download the installer again', 'Run it as an administrator', 'Restart before opening the app'],
  ],
];

function technicalReply(task: Partial<SpecialistTask>): SupportReply {
  const message = task.message ?? '';
  const code = task.facts?.errorCode;
  const steps = STEPS.find(([pattern]) => pattern.test(message))?.[1] ?? [
    'Update to the latest version',
    'Sign out and in again',
    'Send us the app log from Help → Diagnostics',
  ];
  return {
    reply:
      (code ? `Error ${code} means the app could not finish the request. ` : '') +
      `Please try: ${steps.map((step, i) => `${i + 1}. ${step}`).join(' ')}`,
    action: 'troubleshoot',
    references: code ? [code] : [],
  };
}

interface ReviewTask {
  ticket: { route: SupportRoute; facts: Triage['facts'] };
  policy: DeskPolicy;
  reply: SupportReply;
}

/** The desk policy, checked: refund limit, cited references. */
export function reviewReply(task: Partial<ReviewTask>): Review {
  const review: Review = { approved: true, findings: [], revisions: [] };
  const route = task.ticket?.route;
  const reply = task.reply;
  if (!route || route === 'out_of_scope' || !reply) return review;
  const feedback: string[] = [];
  const ask = (finding: string, fix: string) => {
    review.findings.push(finding);
    feedback.push(fix);
  };
  const limit = task.policy?.autoRefundLimitUsd ?? 0;
  if (reply.action === 'refund' && (reply.refundUsd ?? 0) > limit) {
    ask(
      `The reply refunds ${reply.refundUsd} USD, above the desk's limit of ${limit} USD.`,
      `Refunds over ${limit} USD need the billing team: escalate instead of refunding.`,
    );
  }
  for (const reference of [task.ticket?.facts.invoiceId, task.ticket?.facts.errorCode]) {
    if (reference && !reply.reply.includes(reference)) {
      ask(`The reply does not cite ${reference}.`, `Mention ${reference} in the reply.`);
    }
  }
  // One revision per agent: the supervise pattern runs each revision as its own child.
  if (feedback.length > 0) {
    review.approved = false;
    review.revisions.push({ agent: route, feedback: feedback.join(' ') });
  }
  return review;
}

export const SUPPORT_OFFLINE_POLICIES: OfflinePolicies = {
  triage: (request): OfflineDecision => ({
    output: triageTicket(taskOf<{ message: string }>(request).message ?? ''),
  }),
  billing: (request) => ({ output: billingReply(taskOf<SpecialistTask>(request)) }),
  technical: (request) => ({ output: technicalReply(taskOf<SpecialistTask>(request)) }),
  'desk-supervisor': (request) => ({ output: reviewReply(taskOf<ReviewTask>(request)) }),
};

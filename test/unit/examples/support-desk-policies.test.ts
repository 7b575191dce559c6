/**
 * The support desk's offline policies as rules: triage (route and references), the specialists'
 * replies (valid for their schema, revised on feedback) and the supervisor's desk policy.
 */
import { describe, expect, it } from 'vitest';
import { reviewSchema } from '../../../src/agents/orchestration/supervise';
import { SUPPORT_AGENTS } from '../../../src/examples/support-desk/agents';
import {
  reviewReply,
  SUPPORT_OFFLINE_POLICIES,
  triageTicket,
} from '../../../src/examples/support-desk/offline-policies';
import {
  supportReplySchema,
  triageSchema,
  type SupportReply,
} from '../../../src/examples/support-desk/schemas';
import { OfflineModel } from '../../../src/models/offline';

const model = new OfflineModel(SUPPORT_OFFLINE_POLICIES);

async function answer(agent: string, task: unknown): Promise<unknown> {
  const definition = SUPPORT_AGENTS.require(agent);
  const response = await model.complete({
    agent,
    instructions: definition.instructions,
    messages: [{ role: 'user', content: JSON.stringify(task) }],
    tools: [],
  });
  expect(response.kind).toBe('final');
  const output = response.kind === 'final' ? (response.output ?? JSON.parse(response.text)) : undefined;
  const checked = definition.output.safeParse(output);
  expect(checked.success).toBe(true);
  return checked.data;
}

describe('triage', () => {
  it.each([
    [
      'I was charged twice for invoice INV-1042, please refund $30.',
      'billing',
      { invoiceId: 'INV-1042', amountUsd: 30 },
    ],
    ['Why did my subscription price go up?', 'billing', {}],
    ['Refund 45 dollars please, the upload kept failing', 'billing', { amountUsd: 45 }],
    ['The app crashes with error E1042 every time I upload a file.', 'technical', { errorCode: 'E1042' }],
    ["I can't log in, the password reset never arrives", 'technical', {}],
    ['After paying, the app is very slow', 'technical', {}],
    ['What is a good recipe for banana bread?', 'out_of_scope', {}],
    ['Who won the match yesterday?', 'out_of_scope', {}],
  ] as const)('%s → %s', (message, route, facts) => {
    const triaged = triageTicket(message);
    expect(triageSchema.parse(triaged)).toEqual(triaged);
    expect(triaged.route).toBe(route);
    expect(triaged.facts).toEqual(facts);
    if (route === 'out_of_scope') expect(triaged.reply).toMatch(/billing and technical questions/);
  });
});

describe('specialists', () => {
  it('billing refunds what is asked, and escalates when the feedback says so', async () => {
    const facts = { invoiceId: 'INV-2001', amountUsd: 450 };
    const message = 'Please refund $450 for invoice INV-2001';
    const first = supportReplySchema.parse(await answer('billing', { message, facts }));
    expect(first).toMatchObject({ action: 'refund', refundUsd: 450, references: ['INV-2001'] });
    const revised = supportReplySchema.parse(
      await answer('billing', {
        message,
        facts,
        feedback: 'Refunds over 100 USD need the billing team: escalate.',
      }),
    );
    expect(revised).toMatchObject({ action: 'escalate', references: ['INV-2001'] });
    expect(revised.refundUsd).toBeUndefined();
  });

  it('technical gives numbered steps that fit the problem and cites the code', async () => {
    const reply = supportReplySchema.parse(
      await answer('technical', { message: 'Login fails with E401', facts: { errorCode: 'E401' } }),
    );
    expect(reply.action).toBe('troubleshoot');
    expect(reply.reply).toMatch(/^Error E401 .*1\. Reset your password/);
  });
});

describe('desk supervisor', () => {
  const refund = (usd: number, text = 'Refunded for INV-1.'): SupportReply => ({
    reply: text,
    action: 'refund',
    refundUsd: usd,
    references: [],
  });
  const ticket = { route: 'billing' as const, facts: { invoiceId: 'INV-1' } };
  const policy = { autoRefundLimitUsd: 100 };

  it('approves a refund within the limit that cites the invoice', () => {
    expect(reviewReply({ ticket, policy, reply: refund(100) })).toEqual({
      approved: true,
      findings: [],
      revisions: [],
    });
  });

  it('asks the route’s specialist to escalate a refund over the limit', () => {
    const review = reviewReply({ ticket, policy, reply: refund(100.01) });
    expect(review.approved).toBe(false);
    expect(review.revisions).toEqual([
      {
        agent: 'billing',
        feedback: 'Refunds over 100 USD need the billing team: escalate instead of refunding.',
      },
    ]);
  });

  it('gathers every problem into one revision per agent', () => {
    const review = reviewSchema.parse(reviewReply({ ticket, policy, reply: refund(500, 'Refunded.') }));
    expect(review.findings).toHaveLength(2);
    expect(review.revisions).toHaveLength(1);
    expect(review.revisions[0].feedback).toMatch(/escalate.*Mention INV-1/);
  });

  it('runs through the offline model as the desk-supervisor agent', async () => {
    const review = reviewSchema.parse(
      await answer('desk-supervisor', {
        ticket: { route: 'technical', facts: { errorCode: 'E9' } },
        policy,
        reply: refund(0, 'Try again'),
      }),
    );
    expect(review).toMatchObject({
      approved: false,
      revisions: [{ agent: 'technical', feedback: 'Mention E9 in the reply.' }],
    });
  });
});

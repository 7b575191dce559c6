/**
 * What an approval request approves: exactly one quote. The event the run receives always names
 * the quote (`quoteId`); a client may name it, and must once the price changed and the run asks
 * again — so an approval can never apply to a price the traveller has not seen. Pure.
 */
import type { ApprovalBody, Quote } from '../schemas';
import { ApiError } from './errors';

export interface ApprovalEvent {
  approved: boolean;
  quoteId: string;
  note?: string;
}

export function approvalEventFor(body: ApprovalBody, quote: Quote | undefined): ApprovalEvent {
  if (!quote) throw new ApiError(409, 'not_awaiting_approval', 'The run has no quote to approve.');
  if (body.quoteId !== undefined && body.quoteId !== quote.id) {
    throw new ApiError(
      409,
      'quote_changed',
      `Quote ${body.quoteId} is no longer on offer: the run now asks to approve quote ${quote.id} (${quote.total.amount} ${quote.total.currency}).`,
      [{ path: 'quoteId', issue: `the current quote is ${quote.id}` }],
    );
  }
  // Approving without naming the quote is only unambiguous while there has been one quote.
  if (body.approved && body.quoteId === undefined && quote.round > 1) {
    throw new ApiError(
      409,
      'quote_changed',
      `The price changed since the first quote: approve quote ${quote.id} (${quote.total.amount} ${quote.total.currency}) by naming it in quoteId.`,
      [{ path: 'quoteId', issue: `name the quote you approve (${quote.id})` }],
    );
  }
  return {
    approved: body.approved,
    quoteId: quote.id,
    ...(body.note !== undefined ? { note: body.note } : {}),
  };
}

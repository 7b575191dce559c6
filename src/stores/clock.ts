/**
 * The stores read time through a `Clock` so expiry can be tested without sleeping, and so every
 * backend agrees on one definition of "now" within a single operation.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

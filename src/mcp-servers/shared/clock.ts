/** Servers read time only through this, so tests can pin "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

// Tests read response bodies loosely and assert on them; the app validates its own input with zod.
export {};
declare global {
  interface Response {
    json(): Promise<any>;
  }
}

/** Entity ids as the durable-functions SDK writes them (its "scheduler ids"). Pure. */

/** Parses an entity id as the SDK writes it: `@name@key`. */
export function parseEntityId(entityId: string): { name: string; key: string } | undefined {
  const at = entityId.indexOf('@', 1);
  if (!entityId.startsWith('@') || at < 0) return undefined;
  return { name: entityId.slice(1, at), key: entityId.slice(at + 1) };
}

/** The SDK's entity id (scheduler id): `@` + lower-case name + `@` + key. */
export function entityIdOf(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

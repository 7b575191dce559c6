/**
 * Unresolved Key Vault references. App Service replaces an app setting written
 * `@Microsoft.KeyVault(SecretUri=…)` with the secret; when it cannot (the identity lacks the role,
 * the vault or secret is missing, the network blocks it) it leaves the reference text as the
 * value. That text passes every length check: two apps would agree on it as their shared "key".
 * So every settings loader refuses it, naming the setting.
 */
import { WaypointError } from './domain/errors';

const REFERENCE = /^\s*@Microsoft\.KeyVault\s*\(/i;

/** True when the value is a Key Vault reference's text rather than the secret it names. */
export function isKeyVaultReference(value: string | undefined): boolean {
  return value !== undefined && REFERENCE.test(value);
}

/**
 * Throws `invalid_config` naming every setting (of `names`, or of the whole environment) whose
 * value is an unresolved Key Vault reference. The reference itself names no secret value, only
 * where it lives; the message keeps its start so the vault and secret can be found.
 */
export function refuseUnresolvedKeyVaultReferences(
  env: NodeJS.ProcessEnv,
  names: readonly string[] = Object.keys(env),
): void {
  const unresolved = names.filter((name) => isKeyVaultReference(env[name])).sort();
  if (unresolved.length === 0) return;
  const shown = unresolved.map((name) => `${name} (${env[name]!.trim().slice(0, 120)})`).join(', ');
  throw new WaypointError(
    'invalid_config',
    `Invalid setting ${unresolved.join(', ')}: an unresolved Key Vault reference: ${shown}. ` +
      'The platform could not read the secret and left the reference text as the value; the app refuses ' +
      "to use it. Check that the app's identity has Key Vault Secrets User on the vault, that the app's " +
      'keyVaultReferenceIdentity names that identity, and that the secret exists (the app settings blade ' +
      'shows the reference status).',
    { details: { settings: unresolved } },
  );
}

/**
 * What App Service authentication puts in front of a signed-in user's request: the
 * `x-ms-client-principal` header (base64 JSON with the user's object id claim). The app trusts
 * it only when WEBSITE_AUTH_ENABLED=True, which is how the tests simulate signed-in users.
 */
export function signedIn(userId: string): Record<string, string> {
  const claims = [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: userId }];
  return {
    'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64'),
  };
}

/**
 * The query string as the Functions host hands it to a language worker (RpcHttp's query map): one
 * value per name, a repeated name's values joined with commas (ASP.NET Core's StringValues),
 * empty values kept. Every @azure/functions v4 reads `request.query` from this map when it is
 * given; older releases (4.3 among them) read it from nowhere else, so without it they see none.
 */
export function queryAsTheHostSendsIt(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of new Set(url.searchParams.keys())) query[name] = url.searchParams.getAll(name).join(',');
  return query;
}

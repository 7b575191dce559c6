/**
 * Runs the KQL queries of docs/observability.md against Application Insights items captured from
 * the exporter, so the docs' queries are checked against what the exporter really sends.
 *
 * Parsing and semantic checks are Microsoft's own Kusto.Language (@kusto/language-service-next),
 * against the Application Insights tables' real columns: a misspelt column, table or function
 * fails as it would in the portal. Evaluation is a small interpreter for the operators the docs
 * use (union, where, summarize … by, project, extend, order/sort, take) and the functions listed
 * below; anything else throws, naming what it does not know, rather than answering wrongly.
 */
import { createRequire } from 'node:module';

const load = createRequire(__filename);
load('@kusto/language-service-next/bridge.js');
load('@kusto/language-service-next/Kusto.Language.Bridge.js');
const Kusto = (globalThis as any).Kusto.Language;
const Bridge = (globalThis as any).Bridge;

export type Row = Record<string, unknown>;
export type Tables = Record<string, Row[]>;

/** The Application Insights tables' columns (the classic resource's names). */
const COMMON =
  'timestamp:datetime, itemType:string, operation_Id:string, operation_ParentId:string, ' +
  'operation_Name:string, cloud_RoleName:string, cloud_RoleInstance:string, customDimensions:dynamic, ' +
  'customMeasurements:dynamic';
export const SCHEMA: Record<string, string> = {
  requests: `(${COMMON}, id:string, name:string, url:string, success:bool, resultCode:string, duration:real)`,
  dependencies: `(${COMMON}, id:string, name:string, type:string, target:string, data:string, success:bool, resultCode:string, duration:real)`,
  traces: `(${COMMON}, message:string, severityLevel:int)`,
  exceptions: `(${COMMON}, problemId:string, type:string, outerType:string, outerMessage:string, severityLevel:int)`,
};

function globals(): any {
  const tables = Object.entries(SCHEMA).map(
    ([name, schema]) => new Kusto.Symbols.TableSymbol.$ctor7(name, schema, ''),
  );
  return Kusto.GlobalState.Default.WithDatabase(new Kusto.Symbols.DatabaseSymbol.ctor('appinsights', tables));
}

/** The query's errors as Kusto.Language reports them (empty: it is valid against the schema). */
export function kqlErrors(query: string): string[] {
  const code = Kusto.KustoCode.ParseAndAnalyze(query, globals());
  const list = code.GetDiagnostics();
  const errors: string[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    errors.push(`${d.Message} (at ${d.Start}: ${query.slice(d.Start, d.Start + 30)})`);
  }
  return errors;
}

const typeOf = (node: any): string =>
  String(Bridge.getTypeName(node))
    .replace(/^Kusto\.Language\.Syntax\./, '')
    .replace(/`.*$/, '');

function elements(list: any): any[] {
  const out: any[] = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) out.push(list.getItem(i).Element);
  return out;
}

/** Runs `query` over `tables` at time `now` (for ago()); throws on an error or on what it cannot run. */
export function runKql(query: string, tables: Tables, now = Date.now()): Row[] {
  const errors = kqlErrors(query);
  if (errors.length > 0) throw new Error(`invalid KQL: ${errors.join('; ')}\n${query}`);
  const code = Kusto.KustoCode.Parse(query);
  const statements = elements(code.Syntax.Statements);
  if (statements.length !== 1 || typeOf(statements[0]) !== 'ExpressionStatement')
    throw new Error(`only a single query expression is supported:\n${query}`);
  return tabular(statements[0].Expression, { tables, now });
}

interface Scope {
  tables: Tables;
  now: number;
}

function tabular(node: any, scope: Scope): Row[] {
  switch (typeOf(node)) {
    case 'NameReference': {
      const rows = scope.tables[node.SimpleName];
      if (!rows) throw new Error(`no table ${node.SimpleName}`);
      return rows;
    }
    case 'PipeExpression':
      return operator(node.Operator, tabular(node.Expression, scope), scope);
    case 'UnionOperator':
      return operator(node, [], scope);
    default:
      throw new Error(`unsupported tabular expression ${typeOf(node)}`);
  }
}

function operator(op: any, rows: Row[], scope: Scope): Row[] {
  switch (typeOf(op)) {
    case 'FilterOperator':
      return rows.filter((row) => truthy(value(op.Condition, row, scope)));
    case 'UnionOperator':
      return [...rows, ...elements(op.Expressions).flatMap((e) => tabular(e, scope))];
    case 'ProjectOperator':
      return rows.map((row) =>
        Object.fromEntries(elements(op.Expressions).map((e) => column(e, row, scope))),
      );
    case 'ExtendOperator':
      return rows.map((row) => ({
        ...row,
        ...Object.fromEntries(elements(op.Expressions).map((e) => column(e, row, scope))),
      }));
    case 'SortOperator':
      return sort(rows, elements(op.Expressions), scope);
    case 'TakeOperator':
      return rows.slice(0, Number(value(op.Expression, {}, scope)));
    case 'SummarizeOperator':
      return summarize(rows, elements(op.Aggregates), elements(op.ByClause?.Expressions), scope);
    default:
      throw new Error(`unsupported operator ${typeOf(op)}`);
  }
}

/** A projected or grouped column: `name = expr`, or a column reference keeping its name. */
function column(node: any, row: Row, scope: Scope): [string, unknown] {
  if (typeOf(node) === 'SimpleNamedExpression')
    return [node.Name.SimpleName, value(node.Expression, row, scope)];
  if (typeOf(node) === 'NameReference') return [node.SimpleName, row[node.SimpleName]];
  throw new Error(`name the column for ${node.ToString()}`);
}

function sort(rows: Row[], keys: any[], scope: Scope): Row[] {
  const order = keys.map((k) =>
    typeOf(k) === 'OrderedExpression'
      ? { expr: k.Expression, asc: k.Ordering?.AscOrDescKeyword?.Text === 'asc' }
      : { expr: k, asc: false },
  );
  return [...rows].sort((a, b) => {
    for (const { expr, asc } of order) {
      const x = value(expr, a, scope) as any;
      const y = value(expr, b, scope) as any;
      if (x < y) return asc ? -1 : 1;
      if (x > y) return asc ? 1 : -1;
    }
    return 0;
  });
}

function summarize(rows: Row[], aggregates: any[], by: any[], scope: Scope): Row[] {
  const groups = new Map<string, { key: [string, unknown][]; rows: Row[] }>();
  for (const row of rows) {
    const key = by.map((e) => column(e, row, scope));
    const id = JSON.stringify(key);
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key, rows: members }) => ({
    ...Object.fromEntries(key),
    ...Object.fromEntries(aggregates.map((a) => aggregate(a, members, scope))),
  }));
}

function aggregate(node: any, rows: Row[], scope: Scope): [string, unknown] {
  const named = typeOf(node) === 'SimpleNamedExpression';
  const call = named ? node.Expression : node;
  if (typeOf(call) !== 'FunctionCallExpression') throw new Error(`unsupported aggregate ${node.ToString()}`);
  const fn = call.Name.SimpleName as string;
  const args = elements(call.ArgumentList.Expressions);
  const values = (i = 0) => rows.map((row) => value(args[i], row, scope));
  let result: unknown;
  if (fn === 'count') result = rows.length;
  else if (fn === 'sum') result = values().reduce((s: number, v) => s + Number(v ?? 0), 0);
  else if (fn === 'dcount') result = new Set(values().map((v) => JSON.stringify(v))).size;
  else if (fn === 'countif') result = values().filter(truthy).length;
  else if (fn === 'max')
    result = values().reduce((m: any, v: any) => (m === undefined || v > m ? v : m), undefined);
  else if (fn === 'min')
    result = values().reduce((m: any, v: any) => (m === undefined || v < m ? v : m), undefined);
  else if (fn === 'make_list') result = values();
  else if (fn === 'make_set') result = [...new Set(values())];
  else throw new Error(`unsupported aggregate function ${fn}`);
  const argName = args[0] && typeOf(args[0]) === 'NameReference' ? `_${args[0].SimpleName}` : '_';
  return [named ? node.Name.SimpleName : `${fn}${argName}`, result];
}

const truthy = (v: unknown): boolean => v === true;

const TIMESPAN = /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

function literal(node: any): unknown {
  const text = String(node.Token.Text);
  if (/^(true|false)$/.test(text)) return text === 'true';
  const span = TIMESPAN.exec(text);
  if (span) return Number(span[1]) * UNIT_MS[span[2]];
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^["']/.test(text)) return JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1)}"` : text);
  throw new Error(`unsupported literal ${text}`);
}

/** A scalar value: dynamic values stay JSON-like; datetimes are epoch milliseconds. */
function value(node: any, row: Row, scope: Scope): unknown {
  switch (typeOf(node)) {
    case 'LiteralExpression':
      return literal(node);
    case 'NameReference':
      if (!(node.SimpleName in row)) throw new Error(`no column ${node.SimpleName}`);
      return row[node.SimpleName];
    case 'ParenthesizedExpression':
      return value(node.Expression, row, scope);
    case 'ElementExpression': {
      const of = value(node.Expression, row, scope) as Record<string, unknown> | undefined;
      const key = value(node.Selector.Expression, row, scope) as string;
      return of?.[key];
    }
    case 'PathExpression': {
      const of = value(node.Expression, row, scope) as Record<string, unknown> | undefined;
      return of?.[node.Selector.SimpleName];
    }
    case 'BinaryExpression':
      return binary(String(node.Operator.Text), value(node.Left, row, scope), value(node.Right, row, scope));
    case 'FunctionCallExpression':
      return call(
        node.Name.SimpleName,
        elements(node.ArgumentList.Expressions).map((a) => value(a, row, scope)),
        scope,
      );
    default:
      throw new Error(`unsupported expression ${typeOf(node)}: ${node.ToString()}`);
  }
}

const text = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string);

function binary(op: string, a: any, b: any): unknown {
  switch (op) {
    case 'and':
      return a === true && b === true;
    case 'or':
      return a === true || b === true;
    case '==':
      return typeof b === 'string' ? text(a) === b : a === b;
    case '!=':
      return typeof b === 'string' ? text(a) !== b : a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case 'startswith':
      return text(a).toLowerCase().startsWith(text(b).toLowerCase());
    case 'startswith_cs':
      return text(a).startsWith(text(b));
    case 'contains':
      return text(a).toLowerCase().includes(text(b).toLowerCase());
    case 'has':
      return new RegExp(`\\b${text(b).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(text(a));
    case 'in':
      throw new Error('in (…) is not supported');
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

function call(fn: string, args: unknown[], scope: Scope): unknown {
  switch (fn) {
    case 'ago':
      return scope.now - Number(args[0]);
    case 'now':
      return scope.now;
    case 'tostring':
      return text(args[0]);
    case 'toint':
    case 'tolong': {
      const n = Number.parseInt(text(args[0]), 10);
      return Number.isNaN(n) ? null : n;
    }
    case 'todouble':
    case 'toreal': {
      const n = Number.parseFloat(text(args[0]));
      return Number.isNaN(n) ? null : n;
    }
    case 'tobool':
      return text(args[0]).toLowerCase() === 'true';
    case 'isempty':
      return text(args[0]) === '';
    case 'isnotempty':
      return text(args[0]) !== '';
    case 'iff':
      return args[0] === true ? args[1] : args[2];
    default:
      throw new Error(`unsupported function ${fn}`);
  }
}

/**
 * The test interpreter the docs' KQL queries run on (test/integration/telemetry/support/kql.ts):
 * checked against answers worked out by hand, so a query that passes there means what it says.
 */
import { describe, expect, it } from 'vitest';
import { kqlErrors, runKql, type Tables } from '../../integration/telemetry/support/kql';

const now = Date.parse('2026-12-06T12:00:00Z');
const dep = (name: string, minutesAgo: number, success: boolean, dims: Record<string, string>) => ({
  timestamp: now - minutesAgo * 60_000,
  name,
  success,
  operation_Id: 'op1',
  customDimensions: dims,
});
const tables: Tables = {
  requests: [],
  traces: [],
  exceptions: [],
  dependencies: [
    dep('chat m', 5, true, { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': '10' }),
    dep('chat m', 4, true, { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': '5' }),
    dep('chat n', 3, true, { 'gen_ai.request.model': 'n', 'gen_ai.usage.input_tokens': '7' }),
    dep('chat old', 3 * 24 * 60, true, { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': '99' }),
    dep('execute_tool t', 2, false, { 'gen_ai.tool.name': 't' }),
  ],
};

describe('the KQL test interpreter', () => {
  it('filters, groups, sums and orders like Kusto', () => {
    const rows = runKql(
      `dependencies
| where timestamp > ago(1d) and name startswith "chat "
| summarize input = sum(toint(customDimensions["gen_ai.usage.input_tokens"])), calls = count()
  by model = tostring(customDimensions["gen_ai.request.model"])
| order by model asc`,
      tables,
      now,
    );
    expect(rows).toEqual([
      { model: 'm', input: 15, calls: 2 },
      { model: 'n', input: 7, calls: 1 },
    ]);
  });

  it('projects, takes, compares booleans and names unnamed aggregates as Kusto does', () => {
    expect(runKql('dependencies | where success == false | project name', tables, now)).toEqual([
      { name: 'execute_tool t' },
    ]);
    expect(runKql('dependencies | summarize count()', tables, now)).toEqual([{ count_: 5 }]);
    expect(runKql('dependencies | order by timestamp desc | take 1 | project name', tables, now)).toEqual([
      { name: 'execute_tool t' },
    ]);
  });

  it('rejects what Application Insights would reject, and what it cannot run', () => {
    expect(kqlErrors('dependencies | where customDimenions["x"] == "y"').join()).toMatch(/customDimenions/);
    expect(kqlErrors('dependency | take 1').join()).toMatch(/dependency/);
    expect(() => runKql('dependencies | top 1 by timestamp', tables, now)).toThrow(/unsupported operator/);
  });
});

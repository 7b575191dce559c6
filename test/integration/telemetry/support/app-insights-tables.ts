/**
 * Application Insights items as captured at the ingestion endpoint (`POST /v2.1/track`, a JSON
 * array of envelopes), turned into the rows of the tables a KQL query reads: `requests`,
 * `dependencies`, `traces`, `exceptions`, with the columns the portal shows (operation_Id from the
 * `ai.operation.id` tag, customDimensions from the item's properties, and so on).
 */
import type { CapturedRequest } from './capture-server';
import type { Row, Tables } from './kql';

export interface Envelope {
  name: string;
  time: string;
  tags: Record<string, string>;
  data: {
    baseType: string;
    baseData: {
      id?: string;
      name?: string;
      message?: string;
      duration?: string;
      success?: boolean;
      resultCode?: string;
      responseCode?: string;
      type?: string;
      target?: string;
      data?: string;
      url?: string;
      severityLevel?: string | number;
      exceptions?: { typeName?: string; message?: string }[];
      problemId?: string;
      properties?: Record<string, string>;
      measurements?: Record<string, number>;
    };
  };
}

/** The envelopes of every track request the endpoint received. */
export function capturedEnvelopes(requests: readonly CapturedRequest[]): Envelope[] {
  return requests
    .filter((request) => request.path.startsWith('/v2.1/track'))
    .flatMap((request) => JSON.parse(request.body.toString('utf8')) as Envelope[]);
}

/** "d.hh:mm:ss.fff" or "hh:mm:ss.fff" → milliseconds. */
export function durationMs(text: string | undefined): number {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(text ?? '');
  if (!match) return 0;
  const [, days, hours, minutes, seconds] = match;
  return ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
}

const SEVERITY: Record<string, number> = { Verbose: 0, Information: 1, Warning: 2, Error: 3, Critical: 4 };

function common(envelope: Envelope, itemType: string): Row {
  const { tags, data } = envelope;
  return {
    timestamp: Date.parse(envelope.time),
    itemType,
    operation_Id: tags['ai.operation.id'] ?? '',
    operation_ParentId: tags['ai.operation.parentId'] ?? '',
    operation_Name: tags['ai.operation.name'] ?? '',
    cloud_RoleName: tags['ai.cloud.role'] ?? '',
    cloud_RoleInstance: tags['ai.cloud.roleInstance'] ?? '',
    customDimensions: { ...(data.baseData.properties ?? {}) },
    customMeasurements: { ...(data.baseData.measurements ?? {}) },
  };
}

const severity = (level: string | number | undefined): number =>
  typeof level === 'number' ? level : (SEVERITY[level ?? 'Information'] ?? 1);

export function appInsightsTables(envelopes: readonly Envelope[]): Tables {
  const tables: Tables = { requests: [], dependencies: [], traces: [], exceptions: [] };
  for (const envelope of envelopes) {
    const d = envelope.data.baseData;
    switch (envelope.data.baseType) {
      case 'RequestData':
        tables.requests.push({
          ...common(envelope, 'request'),
          id: d.id ?? '',
          name: d.name ?? '',
          url: d.url ?? '',
          success: d.success === true,
          resultCode: d.responseCode ?? '',
          duration: durationMs(d.duration),
        });
        break;
      case 'RemoteDependencyData':
        tables.dependencies.push({
          ...common(envelope, 'dependency'),
          id: d.id ?? '',
          name: d.name ?? '',
          type: d.type ?? '',
          target: d.target ?? '',
          data: d.data ?? '',
          success: d.success === true,
          resultCode: d.resultCode ?? '',
          duration: durationMs(d.duration),
        });
        break;
      case 'MessageData':
        tables.traces.push({
          ...common(envelope, 'trace'),
          message: d.message ?? '',
          severityLevel: severity(d.severityLevel),
        });
        break;
      case 'ExceptionData':
        tables.exceptions.push({
          ...common(envelope, 'exception'),
          problemId: d.problemId ?? '',
          type: d.exceptions?.[0]?.typeName ?? '',
          outerType: d.exceptions?.[0]?.typeName ?? '',
          outerMessage: d.exceptions?.[0]?.message ?? '',
          severityLevel: severity(d.severityLevel),
        });
        break;
      default:
        break;
    }
  }
  return tables;
}

/** The KQL queries in a Markdown document's ```kusto blocks: one per `//` comment heading. */
export function kustoQueries(markdown: string): { title: string; query: string }[] {
  const blocks = [...markdown.matchAll(/```kusto\n([\s\S]*?)```/g)].map((m) => m[1]);
  const queries: { title: string; query: string }[] = [];
  for (const block of blocks) {
    for (const part of block.split(/\n(?=\/\/ )/)) {
      const lines = part.trim().split('\n');
      const title = lines[0].startsWith('// ') ? lines.shift()!.slice(3) : '';
      const query = lines.join('\n').trim();
      if (query) queries.push({ title, query });
    }
  }
  return queries;
}

/**
 * Just enough OTLP decoding for tests: the spans and metric names of an export request, from
 * OTLP/JSON or from OTLP/protobuf (a small reader of the protobuf wire format over the few fields
 * of opentelemetry/proto/{trace,metrics,common}/v1 the tests look at).
 */
export type AttributeValue = string | number | boolean;

export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
}

// ---- protobuf wire format -------------------------------------------------------------------

interface Field {
  no: number;
  /** Varint and fixed64 fields as bigint; length-delimited ones as bytes. */
  value: bigint | Buffer;
}

function readVarint(buf: Buffer, at: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const byte = buf[at++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, at];
    shift += 7n;
  }
}

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [tag, next] = readVarint(buf, at);
    at = next;
    const no = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [value, after] = readVarint(buf, at);
      out.push({ no, value });
      at = after;
    } else if (wire === 1) {
      out.push({ no, value: buf.readBigUInt64LE(at) });
      at += 8;
    } else if (wire === 2) {
      const [length, after] = readVarint(buf, at);
      out.push({ no, value: buf.subarray(after, after + Number(length)) });
      at = after + Number(length);
    } else if (wire === 5) {
      out.push({ no, value: BigInt(buf.readUInt32LE(at)) });
      at += 4;
    } else {
      throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
  return out;
}

const bytes = (fs: Field[], no: number): Buffer[] =>
  fs.filter((f) => f.no === no && Buffer.isBuffer(f.value)).map((f) => f.value as Buffer);
const text = (fs: Field[], no: number): string => bytes(fs, no)[0]?.toString('utf8') ?? '';
const int = (fs: Field[], no: number): bigint | undefined => {
  const field = fs.find((f) => f.no === no && typeof f.value === 'bigint');
  return field?.value as bigint | undefined;
};

function anyValue(buf: Buffer): AttributeValue {
  const fs = fields(buf);
  const [first] = fs;
  if (!first) return '';
  switch (first.no) {
    case 1:
      return (first.value as Buffer).toString('utf8');
    case 2:
      return first.value === 1n;
    case 3:
      return Number(BigInt.asIntN(64, first.value as bigint));
    case 4: {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(first.value as bigint);
      return b.readDoubleLE(0);
    }
    default:
      return `<${first.no}>`;
  }
}

function keyValues(list: Buffer[]): Record<string, AttributeValue> {
  return Object.fromEntries(
    list.map((kv) => {
      const fs = fields(kv);
      return [text(fs, 1), anyValue(bytes(fs, 2)[0] ?? Buffer.alloc(0))];
    }),
  );
}

export function spansFromProtobuf(body: Buffer): DecodedSpan[] {
  return bytes(fields(body), 1).flatMap((resourceSpans) => {
    const rs = fields(resourceSpans);
    const resource = keyValues(bytes(fields(bytes(rs, 1)[0] ?? Buffer.alloc(0)), 1));
    return bytes(rs, 2).flatMap((scopeSpans) =>
      bytes(fields(scopeSpans), 2).map((spanBytes) => {
        const s = fields(spanBytes);
        return {
          traceId: bytes(s, 1)[0]?.toString('hex') ?? '',
          spanId: bytes(s, 2)[0]?.toString('hex') ?? '',
          parentSpanId: bytes(s, 4)[0]?.toString('hex') ?? '',
          name: text(s, 5),
          kind: Number(int(s, 6) ?? 0n),
          attributes: keyValues(bytes(s, 9)),
          resource,
        };
      }),
    );
  });
}

export function metricNamesFromProtobuf(body: Buffer): string[] {
  return bytes(fields(body), 1).flatMap((resourceMetrics) =>
    bytes(fields(resourceMetrics), 2).flatMap((scopeMetrics) =>
      bytes(fields(scopeMetrics), 2).map((metric) => text(fields(metric), 1)),
    ),
  );
}

// ---- OTLP/JSON ------------------------------------------------------------------------------

interface JsonKeyValue {
  key: string;
  value: { stringValue?: string; boolValue?: boolean; intValue?: number | string; doubleValue?: number };
}

function jsonAttributes(list: JsonKeyValue[] | undefined): Record<string, AttributeValue> {
  return Object.fromEntries(
    (list ?? []).map(({ key, value }) => [
      key,
      value.stringValue ??
        value.boolValue ??
        (value.intValue === undefined ? (value.doubleValue ?? '') : Number(value.intValue)),
    ]),
  );
}

export function spansFromJson(body: Buffer): DecodedSpan[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceSpans: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeSpans: {
        spans: {
          traceId: string;
          spanId: string;
          parentSpanId?: string;
          name: string;
          kind: number;
          attributes?: JsonKeyValue[];
        }[];
      }[];
    }[];
  };
  return request.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        // OTLP/JSON kinds are the protobuf enum numbers (INTERNAL = 1, SERVER = 2, CLIENT = 3).
        kind: span.kind,
        attributes: jsonAttributes(span.attributes),
        resource: jsonAttributes(rs.resource?.attributes),
      })),
    ),
  );
}

export function metricNamesFromJson(body: Buffer): string[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[];
  };
  return request.resourceMetrics.flatMap((rm) =>
    rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)),
  );
}

// ---- logs -------------------------------------------------------------------------------------

export interface DecodedLogRecord {
  body: string;
  severityText: string;
  traceId: string;
  spanId: string;
  attributes: Record<string, AttributeValue>;
  resource: Record<string, AttributeValue>;
}

/** opentelemetry/proto/logs/v1: ResourceLogs{resource=1, scope_logs=2}, ScopeLogs{log_records=2}. */
export function logsFromProtobuf(body: Buffer): DecodedLogRecord[] {
  return bytes(fields(body), 1).flatMap((resourceLogs) => {
    const rl = fields(resourceLogs);
    const resource = keyValues(bytes(fields(bytes(rl, 1)[0] ?? Buffer.alloc(0)), 1));
    return bytes(rl, 2).flatMap((scopeLogs) =>
      bytes(fields(scopeLogs), 2).map((recordBytes) => {
        const r = fields(recordBytes);
        const bodyValue = bytes(r, 5)[0];
        return {
          body: bodyValue ? String(anyValue(bodyValue)) : '',
          severityText: text(r, 3),
          traceId: bytes(r, 9)[0]?.toString('hex') ?? '',
          spanId: bytes(r, 10)[0]?.toString('hex') ?? '',
          attributes: keyValues(bytes(r, 6)),
          resource,
        };
      }),
    );
  });
}

export function logsFromJson(body: Buffer): DecodedLogRecord[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceLogs: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeLogs: {
        logRecords: {
          body?: { stringValue?: string };
          severityText?: string;
          traceId?: string;
          spanId?: string;
          attributes?: JsonKeyValue[];
        }[];
      }[];
    }[];
  };
  return request.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map((record) => ({
        body: record.body?.stringValue ?? '',
        severityText: record.severityText ?? '',
        traceId: record.traceId ?? '',
        spanId: record.spanId ?? '',
        attributes: jsonAttributes(record.attributes),
        resource: jsonAttributes(rl.resource?.attributes),
      })),
    ),
  );
}

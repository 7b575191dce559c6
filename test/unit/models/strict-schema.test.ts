import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiSchema, isStrictCompatible } from '../../../src/models/strict-schema';

const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

describe('isStrictCompatible', () => {
  it('accepts closed objects with every property required, nested, in arrays, anyOf and $defs', () => {
    expect(
      isStrictCompatible(
        closed(
          {
            city: { type: 'string', description: 'City' },
            nights: { type: 'integer', minimum: 1 },
            when: { type: 'string', format: 'date' },
            legs: { type: 'array', items: closed({ from: { type: 'string' } }), maxItems: 4 },
            note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            hotel: { $ref: '#/$defs/hotel' },
          },
          { $defs: { hotel: closed({ name: { type: 'string' } }) } },
        ),
      ),
    ).toBe(true);
  });

  it.each([
    [
      'an optional property',
      { type: 'object', properties: { a: { type: 'string' } }, required: [], additionalProperties: false },
    ],
    ['an open object', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }],
    ['a nested open object', closed({ inner: { type: 'object', properties: {}, required: [] } })],
    ['oneOf', closed({ a: { oneOf: [{ type: 'string' }, { type: 'number' }] } })],
    ['a default', closed({ a: { type: 'string', default: 'x' } })],
    ['an unsupported format', closed({ a: { type: 'string', format: 'uri' } })],
    ['a non-object root', { type: 'array', items: { type: 'string' } }],
    ['an open object in $defs', closed({}, { $defs: { x: { type: 'object', properties: {} } } })],
  ])('refuses %s', (_what, schema) => {
    expect(isStrictCompatible(schema)).toBe(false);
  });

  it('reads zod 4 schemas: all-required closed objects are strict, optional fields are not', () => {
    const strict = apiSchema(
      z.toJSONSchema(z.strictObject({ city: z.string(), days: z.number().int() })) as Record<string, unknown>,
    );
    expect(isStrictCompatible(strict)).toBe(true);
    const loose = apiSchema(
      z.toJSONSchema(z.strictObject({ city: z.string(), note: z.string().optional() })) as Record<
        string,
        unknown
      >,
    );
    expect(isStrictCompatible(loose)).toBe(false);
  });
});

describe('apiSchema', () => {
  it('drops the $schema dialect marker and keeps the rest', () => {
    expect(apiSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' })).toEqual({
      type: 'object',
    });
  });
});

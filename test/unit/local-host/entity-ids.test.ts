/** Entity ids as the durable-functions SDK writes them, and action signatures for replay checks. */
import { describe, expect, it } from 'vitest';
import { ActionType, signature } from '../../../src/local-host/durable/actions';
import { entityIdOf, parseEntityId } from '../../../src/local-host/durable/entity-ids';

describe('entity ids', () => {
  it('are @ + lower-case name + @ + key, keys kept as given', () => {
    expect(entityIdOf('Counter', 'MyKey')).toBe('@counter@MyKey');
    expect(parseEntityId('@counter@MyKey')).toEqual({ name: 'counter', key: 'MyKey' });
  });

  it('keep an @ inside the key', () => {
    expect(parseEntityId(entityIdOf('mail', 'a@b.test'))).toEqual({ name: 'mail', key: 'a@b.test' });
  });

  it('refuse what is not an entity id', () => {
    expect(parseEntityId('counter@key')).toBeUndefined();
    expect(parseEntityId('@counter')).toBeUndefined();
  });
});

describe('action signatures', () => {
  it('name an entity call by target and operation, so a changed call is non-deterministic', () => {
    const call = { actionType: ActionType.CallEntity, instanceId: '@counter@k', operation: 'add' };
    expect(signature(call)).toBe('7:@counter@k#add');
    expect(signature({ ...call, operation: 'get' })).not.toBe(signature(call));
    expect(signature({ actionType: ActionType.CallActivity, functionName: 'hello' })).toBe('0:hello');
  });
});

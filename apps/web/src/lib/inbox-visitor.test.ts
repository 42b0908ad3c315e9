import { describe, expect, it } from 'vitest';
import { describeVisitor } from './inbox-visitor.ts';

const visitor = { id: 'v1', verified: true, userId: 'u_42', name: 'Ada Lovelace', email: 'ada@example.com' };

describe('describeVisitor', () => {
  it('names nobody for a conversation from the API or the playground', () => {
    expect(describeVisitor({ channel: 'api', visitor: null })).toBeUndefined();
  });

  it('calls a widget visitor without a verified identity anonymous', () => {
    expect(describeVisitor({ channel: 'widget', visitor: null })).toEqual({
      label: 'Anonymous visitor',
      isVerified: false,
    });
    expect(
      describeVisitor({ channel: 'widget', visitor: { ...visitor, verified: false, name: 'Claimed name' } }),
    ).toEqual({ label: 'Anonymous visitor', isVerified: false });
  });

  it('names a verified visitor by name, then e-mail, then user id, with the rest beside it', () => {
    expect(describeVisitor({ channel: 'widget', visitor })).toEqual({
      label: 'Ada Lovelace (ada@example.com · u_42)',
      isVerified: true,
    });
    expect(describeVisitor({ channel: 'widget', visitor: { ...visitor, name: null } })).toEqual({
      label: 'ada@example.com (u_42)',
      isVerified: true,
    });
    expect(describeVisitor({ channel: 'widget', visitor: { ...visitor, name: null, email: null } })).toEqual({
      label: 'u_42',
      isVerified: true,
    });
  });
});

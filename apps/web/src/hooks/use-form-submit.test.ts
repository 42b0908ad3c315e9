import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.ts';
import { describeFormFailure } from './use-form-submit.ts';

const validation = (details: Array<{ path: string; message: string }>) =>
  new ApiError(400, 'VALIDATION_ERROR', 'Invalid request', { details });
const nameField = (path: string) => (path === 'name' ? ('name' as const) : undefined);

describe('what a form shows for a failed submit', () => {
  it('puts VALIDATION_ERROR details on the fields, and the form error only for details on no field', () => {
    expect(
      describeFormFailure(validation([{ path: 'body.name', message: 'Too long' }]), {
        fieldOf: nameField,
        invalidMessage: 'Some fields need attention.',
      }),
    ).toEqual({ errors: { name: 'Too long' }, formError: 'Some fields need attention.', isToasted: false });
    expect(
      describeFormFailure(validation([{ path: 'body.other', message: 'Wrong' }]), { fieldOf: nameField }),
    ).toEqual({ errors: {}, formError: 'Invalid request', isToasted: false });
  });

  it('shows the sentence on the message field of a form with no error of its own', () => {
    expect(
      describeFormFailure(validation([{ path: 'body.other', message: 'Wrong' }]), {
        fieldOf: nameField,
        messageField: 'name',
      }),
    ).toEqual({ errors: { name: 'Invalid request' }, formError: undefined, isToasted: false });
  });

  it('shows any other failure as the form error, toasted when the form names a failure title', () => {
    const conflict = new ApiError(409, 'CONFLICT', 'Already there');
    expect(describeFormFailure(conflict, { failureTitle: 'Could not save' })).toEqual({
      errors: {},
      formError: 'Already there',
      isToasted: true,
    });
    expect(describeFormFailure(new Error('offline'), {})).toEqual({
      errors: {},
      formError: 'offline',
      isToasted: false,
    });
  });

  it('lets the form explain a failure its own way', () => {
    const tooLarge = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The file is too large');
    expect(
      describeFormFailure<'file'>(tooLarge, {
        failureTitle: 'Could not upload',
        explainFailure: (error) =>
          error instanceof ApiError ? { errors: { file: error.message } } : undefined,
      }),
    ).toEqual({ errors: { file: 'The file is too large' }, isToasted: false });
  });
});

import { type FormEvent, useCallback, useState } from 'react';
import { useToast } from '../components/toast.tsx';
import { type FieldErrors, readFormFailure } from '../lib/validation.ts';

/** What a form shows after a failure: errors on its fields and one sentence for the whole form. */
interface FormFailureDisplay<Field extends string> {
  errors?: FieldErrors<Field>;
  formError?: string;
}

interface FormSubmitOptions<Field extends string, Result> {
  /** The form's own checks, before any request; a submit with errors stops there. */
  validate?: () => FieldErrors<Field>;
  /** Sends the form. */
  submit: () => Promise<Result>;
  /** Runs with the answer (closing a dialog, moving on). */
  onSuccess?: (result: Result) => void;
  /** The form's field for a path of a 400 VALIDATION_ERROR's details (`rateLimit.requests`). */
  fieldOf?: (path: string) => Field | undefined;
  /**
   * The field that shows a validation failure's sentence, for a form with no error of its own under the
   * fields (a one-field dialog).
   */
  messageField?: Field;
  /** The form's error when the server's validation failure is all on fields. */
  invalidMessage?: string;
  /** The toast's title for a failure other than validation (the sentence goes in the toast too). */
  failureTitle?: string;
  /** A failure the form explains in its own way: what to show, or undefined for the usual display. */
  explainFailure?: (error: unknown) => FormFailureDisplay<Field> | undefined;
}

interface FormSubmit<Field extends string> {
  /** The `onSubmit` of the form (or the confirm button's `onClick`). */
  handleSubmit: (event?: FormEvent) => Promise<void>;
  isPending: boolean;
  errors: FieldErrors<Field>;
  setErrors: (update: (current: FieldErrors<Field>) => FieldErrors<Field>) => void;
  /** Forgets the field's error, as its value changes. */
  clearError: (field: Field) => void;
  formError: string | undefined;
  setFormError: (formError: string | undefined) => void;
}

/**
 * What a form shows for a failed submit: the form's own explanation when it has one; else a 400
 * VALIDATION_ERROR's details on the fields `fieldOf` knows and the rest as the form's error (or on
 * `messageField`); else the failure's sentence as the form's error, also toasted when the form names a
 * `failureTitle`.
 */
export function describeFormFailure<Field extends string>(
  error: unknown,
  options: Pick<
    FormSubmitOptions<Field, unknown>,
    'explainFailure' | 'fieldOf' | 'messageField' | 'invalidMessage' | 'failureTitle'
  >,
): FormFailureDisplay<Field> & { isToasted: boolean } {
  const explained = options.explainFailure?.(error);
  if (explained) return { ...explained, isToasted: false };
  const failure = readFormFailure(error, options.fieldOf ?? (() => undefined));
  const errors: FieldErrors<Field> = { ...failure.fieldErrors };
  if (failure.isValidation && failure.message && options.messageField) {
    errors[options.messageField] ??= failure.message;
    return { errors, formError: undefined, isToasted: false };
  }
  return {
    errors,
    formError: failure.message ?? options.invalidMessage,
    isToasted: !failure.isValidation && options.failureTitle !== undefined,
  };
}

/**
 * One submit of a dialog or form: its checks, the pending state while the request runs, the server's field
 * errors (400 VALIDATION_ERROR details) on the form's fields, any other failure as the form's error (and a
 * toast with `failureTitle`), then `onSuccess` with the answer.
 */
export function useFormSubmit<Field extends string = never, Result = unknown>(
  options: FormSubmitOptions<Field, Result>,
): FormSubmit<Field> {
  const toast = useToast();
  const [isPending, setIsPending] = useState(false);
  const [errors, setErrorsState] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string>();

  const showFailure = (error: unknown) => {
    const display = describeFormFailure(error, options);
    setErrorsState(display.errors ?? {});
    setFormError(display.formError);
    if (display.isToasted && options.failureTitle) toast.error(options.failureTitle, error);
  };

  const handleSubmit = async (event?: FormEvent) => {
    event?.preventDefault();
    const found = options.validate?.() ?? {};
    setErrorsState(found);
    setFormError(undefined);
    if (Object.keys(found).length > 0) return;
    setIsPending(true);
    let result: Result;
    try {
      result = await options.submit();
    } catch (error) {
      setIsPending(false);
      showFailure(error);
      return;
    }
    setIsPending(false);
    options.onSuccess?.(result);
  };

  const setErrors = useCallback(
    (update: (current: FieldErrors<Field>) => FieldErrors<Field>) => setErrorsState(update),
    [],
  );
  const clearError = useCallback(
    (field: Field) =>
      setErrorsState((current) => {
        if (current[field] === undefined) return current;
        const { [field]: _, ...rest } = current;
        return rest as FieldErrors<Field>;
      }),
    [],
  );
  return { handleSubmit, isPending, errors, setErrors, clearError, formError, setFormError };
}

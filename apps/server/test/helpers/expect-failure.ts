import { expect } from 'vitest';
import type { ApiResponse } from './test-server.ts';

/** Asserts a refusal: the status, and the error envelope `{ success: false, code, error }` with that code. */
export function expectFailure(response: ApiResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toMatchObject({ success: false, code, error: expect.any(String) });
}

import type { WorkspaceRole } from '../../db/database.ts';
import { AppError } from '../../errors/app-error.ts';

/** Who is asking: a person with their role in the workspace, or a workspace API key. */
export type RequestRole = WorkspaceRole | 'api-key';

/** Inviting and removing people is for the owner and admins; never for API keys, which any member can make. */
export function assertCanManageMembers(role: RequestRole): void {
  if (role !== 'owner' && role !== 'admin') throw new AppError('FORBIDDEN');
}

/** Reading the member list is for people: a key is not anyone's. */
export function assertIsPerson(role: RequestRole): void {
  if (role === 'api-key') throw new AppError('FORBIDDEN', { message: 'Only a signed-in person can do this' });
}

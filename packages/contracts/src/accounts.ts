import { z } from 'zod';
import { storable, workspaceSchema } from './common.ts';

// Signing in to the dashboard: accounts, sessions, members and invitations.

export const WORKSPACE_ROLES = ['owner', 'admin', 'member'] as const;
export const workspaceRoleSchema = z.enum(WORKSPACE_ROLES);
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;

/** The roles an invitation can grant: a workspace has one owner, the person who set it up. */
export const invitationRoleSchema = z.enum(['admin', 'member']);

export const MIN_PASSWORD_LENGTH = 10;

/** Compared lower-cased: one address is one account, however it is capitalised. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .check(z.email())
  .max(254)
  .meta({ examples: ['sam@example.com'] });

const newPasswordSchema = storable(
  z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(1024, 'must be at most 1024 characters'),
);

const personNameSchema = storable(z.string().trim().min(1).max(200));

/** A password good enough for an example: long, and shown nowhere else. */
const EXAMPLE_PASSWORD = 'violet-harbour-lantern-42';

export const setupRequestSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    password: newPasswordSchema,
  })
  .meta({ examples: [{ email: 'sam@example.com', name: 'Sam Rivera', password: EXAMPLE_PASSWORD }] });
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const loginRequestSchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1).max(1024),
  })
  .meta({ examples: [{ email: 'sam@example.com', password: EXAMPLE_PASSWORD }] });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const acceptInvitationRequestSchema = z
  .object({
    token: z.string().min(1).max(200),
    name: personNameSchema,
    password: newPasswordSchema,
  })
  .meta({
    examples: [
      { token: 'inv_3q9XhT0bKc7mP2wL5sR8vN1yZ4aD6fG', name: 'Alex Chen', password: EXAMPLE_PASSWORD },
    ],
  });
export type AcceptInvitationRequest = z.infer<typeof acceptInvitationRequestSchema>;

export const authStateSchema = z.object({ needsSetup: z.boolean() });

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });

/** Who is signed in, where, as what; `csrfToken` goes in X-CSRF-Token on every change made with the cookie. */
export const sessionSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  role: workspaceRoleSchema,
  csrfToken: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: workspaceRoleSchema,
  joinedAt: z.string(),
});

export const invitationCreateSchema = z
  .object({ email: emailSchema, role: invitationRoleSchema })
  .meta({ examples: [{ email: 'alex@example.com', role: 'member' }] });
export type InvitationCreate = z.infer<typeof invitationCreateSchema>;

export const invitationCreatedSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: invitationRoleSchema,
  token: z.string().meta({ description: 'The invitation secret; shown only in this response' }),
  expiresAt: z.string(),
});

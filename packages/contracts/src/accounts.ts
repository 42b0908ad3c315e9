import { z } from 'zod';
import { pathIdSchema, storable, workspaceSchema } from './common.ts';

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
    setupToken: z
      .string()
      .max(512)
      .optional()
      .meta({
        description:
          'The setup token printed in the server’s start-up output (its log), or POLLYBOT_ADMIN_TOKEN; ' +
          '401 SETUP_TOKEN_INVALID when missing or wrong',
      }),
    email: emailSchema,
    name: personNameSchema,
    password: newPasswordSchema,
  })
  .meta({
    examples: [
      {
        setupToken: 'q3K9xW2mR7tB4nC8vL1pZ6yH0dF5gJ2sT9aE3kM7wQx',
        email: 'sam@example.com',
        name: 'Sam Rivera',
        password: EXAMPLE_PASSWORD,
      },
    ],
  });
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
    name: personNameSchema
      .optional()
      .meta({ description: 'Required for a new account; an existing account keeps its name' }),
    password: newPasswordSchema.meta({
      description:
        'The new account’s password; for an address that already has an account, that account’s password ' +
        '(and the request must carry its session)',
    }),
  })
  .meta({
    examples: [
      { token: 'Xb7Lq2Nc9Rf4Tw1Kd6Hm3Pz8Vy5Gs0Aj2Ue7Qi4Wo9c', name: 'Alex Chen', password: EXAMPLE_PASSWORD },
    ],
  });
export type AcceptInvitationRequest = z.infer<typeof acceptInvitationRequestSchema>;

export const authStateSchema = z.object({ needsSetup: z.boolean() });

/** The answer of POST /api/auth/logout: the session is over and its cookie cleared. */
export const loggedOutSchema = z.object({ loggedOut: z.literal(true) });

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

const invitationFields = {
  id: z.string(),
  email: z.string(),
  role: workspaceRoleSchema.meta({
    description: '`owner` only for a first owner invited through the operator API',
  }),
  createdBy: z.string().nullable().meta({
    description: 'The user id of the person who invited; null for the operator API',
  }),
  createdAt: z.string(),
  expiresAt: z.string(),
};

/** A pending invitation: neither accepted, revoked nor expired. */
export const invitationSchema = z.object(invitationFields);

export const invitationCreatedSchema = z.object({
  ...invitationFields,
  token: z.string().meta({ description: 'The invitation secret; shown only in this response' }),
});

/** The operator API's invitation of a workspace's first owner. */
export const ownerInvitationCreateSchema = z
  .object({ email: emailSchema })
  .meta({ examples: [{ email: 'owner@acme.example' }] });

export const ownerInvitationCreatedSchema = invitationCreatedSchema.extend({
  acceptPath: z.string().meta({
    description: 'Where the invitee accepts it, on the dashboard’s address: `/#/accept?token=...`',
  }),
});

export const invitationParamsSchema = z.object({ invitationId: pathIdSchema });

/** DELETE /api/v1/members/{userId}?revokeApiKeys=false keeps the API keys the person created. */
export const memberRemovalQuerySchema = z.object({
  revokeApiKeys: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .meta({ description: 'Whether the API keys the person created are revoked too (default true)' }),
});

export const memberRemovedSchema = z.object({
  id: z.string(),
  removed: z.literal(true),
  revokedApiKeys: z.number().int().meta({ description: 'How many of their API keys were revoked' }),
  revokedInvitations: z
    .number()
    .int()
    .meta({ description: 'How many pending invitations they issued were revoked' }),
});

/** Changing one's own password: the current one proves it is you; every other session of yours ends. */
export const passwordChangeRequestSchema = z
  .object({
    currentPassword: z.string().min(1).max(1024),
    newPassword: newPasswordSchema,
  })
  .meta({ examples: [{ currentPassword: EXAMPLE_PASSWORD, newPassword: 'amber-meadow-compass-17' }] });
export type PasswordChangeRequest = z.infer<typeof passwordChangeRequestSchema>;

/** The operator sets a person's password (there is no mail server to send a reset link). */
export const passwordResetRequestSchema = z
  .object({ email: emailSchema, password: newPasswordSchema })
  .meta({ examples: [{ email: 'sam@example.com', password: 'amber-meadow-compass-17' }] });

/** A password was changed or reset: how many sessions it ended. */
export const passwordChangedSchema = z.object({
  passwordChanged: z.literal(true),
  endedSessions: z.number().int().meta({ description: 'Sessions signed out by the change' }),
});

/** What an invitation link offers, read before accepting: which workspace, for which address, as what. */
export const invitationPreviewRequestSchema = z
  .object({ token: z.string().min(1).max(200) })
  .meta({ examples: [{ token: 'Xb7Lq2Nc9Rf4Tw1Kd6Hm3Pz8Vy5Gs0Aj2Ue7Qi4Wo9c' }] });
export const invitationPreviewSchema = z.object({
  workspaceName: z.string(),
  email: z.string(),
  role: workspaceRoleSchema,
  expiresAt: z.string(),
});

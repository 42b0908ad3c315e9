import { errors, jwtVerify } from 'jose';
import { AppError } from '../../errors/app-error.ts';

/** Who a verified visitor is, as the business's own backend signed it. */
export type VisitorIdentity = { userId: string; name: string | null; email: string | null };

/** The longest lifetime a visitor's identity token may claim: `exp` at most this far ahead. */
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Clocks of the business's servers and ours may differ by this much. */
const CLOCK_TOLERANCE_SECONDS = 60;
const MAX_SUB_LENGTH = 200;
const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 320;

function optionalClaim(value: unknown, maxLength: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > maxLength) throw new AppError('IDENTITY_INVALID');
  return value;
}

/**
 * Verifies the business's JWT for a visitor of `chatbotId`: HS256 only, signed with the chatbot's identity
 * secret; `sub` and `exp` required, `exp` not past and at most 24 hours ahead; `aud`, when present, must be the
 * chatbot's id. Throws IDENTITY_INVALID, IDENTITY_EXPIRED or IDENTITY_WRONG_CHATBOT.
 */
export async function verifyVisitorIdentity(
  token: string,
  options: { secret: string | null; chatbotId: string; now: Date },
): Promise<VisitorIdentity> {
  if (!options.secret) throw new AppError('IDENTITY_INVALID');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(options.secret), {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      currentDate: options.now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new AppError('IDENTITY_EXPIRED');
    throw new AppError('IDENTITY_INVALID');
  }
  const { sub, exp, aud } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUB_LENGTH)
    throw new AppError('IDENTITY_INVALID');
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  if (typeof exp !== 'number' || exp > nowSeconds + MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS)
    throw new AppError('IDENTITY_EXPIRED');
  if (aud !== undefined) {
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(options.chatbotId)) throw new AppError('IDENTITY_WRONG_CHATBOT');
  }
  return {
    userId: sub,
    name: optionalClaim(payload.name, MAX_NAME_LENGTH),
    email: optionalClaim(payload.email, MAX_EMAIL_LENGTH),
  };
}

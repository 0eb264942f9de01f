// Request-body checks shared by the controllers (DESIGN.md invariant 5): a field that should be a string and
// is anything else is refused with a 400 naming the field, before any service runs.
import { errors } from '@strapi/utils';

export const MAX_EMAIL_LENGTH = 254;
// Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new errors.ValidationError('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

export function readString(body: Record<string, unknown>, field: string, { maxLength = 1024 } = {}): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new errors.ValidationError(`"${field}" is required and must be a string.`, { errors: [{ path: [field], message: 'must be a non-empty string' }] });
  }
  if (value.length > maxLength) {
    throw new errors.ValidationError(`"${field}" must be at most ${maxLength} characters long.`, { errors: [{ path: [field], message: `must be at most ${maxLength} characters` }] });
  }
  return value;
}

export function readEmail(body: Record<string, unknown>, field = 'email'): string {
  const email = readString(body, field, { maxLength: MAX_EMAIL_LENGTH }).trim();
  if (!EMAIL_PATTERN.test(email)) {
    throw new errors.ValidationError(`"${field}" must be an email address.`, { errors: [{ path: [field], message: 'must be an email address' }] });
  }
  return email;
}

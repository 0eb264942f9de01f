// Request-body checks shared by the controllers (ARCHITECTURE.md, invariant 5): a field that should be a string and
// is anything else is refused with a 400 naming the field, before any service runs.
import { errors } from '@strapi/utils';
import { MAX_INTEGER, PIN_DIGITS, PIN_PATTERN } from '../../../shared/contracts';

export const MAX_EMAIL_LENGTH = 254;
// Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function readBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new errors.ValidationError('The request body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

/**
 * Refuse the NUL character anywhere in a request's values (nested objects and arrays included). PostgreSQL can
 * neither store nor compare text that holds it: a lookup by such a value fails in the database, a 500, and a
 * row queued with one would fail every time the outbox tried it.
 */
export function assertNoNulCharacter(value: unknown, field?: string): void {
  // An explicit stack, not recursion, and each value's path built only for the one refused: a body nested
  // thousands of levels deep is a 400 too, not a stack overflow.
  interface Item {
    value: unknown;
    key?: string | number;
    parent?: Item;
  }
  const pending: Item[] = [{ value, key: field }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const current = item.value;
    if (typeof current === 'string' && current.includes('\u0000')) {
      const path: Array<string | number> = [];
      for (let at: Item | undefined = item; at; at = at.parent) if (at.key !== undefined) path.unshift(at.key);
      throw new errors.ValidationError(`"${path.join('.') || 'body'}" must not contain the NUL character.`, {
        errors: [{ path, message: 'must not contain the NUL character' }],
      });
    }
    if (Array.isArray(current)) current.forEach((child, i) => pending.push({ value: child, key: i, parent: item }));
    else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) pending.push({ value: child, key, parent: item });
    }
  }
}

/**
 * A user write's values that every database can store: no NUL character anywhere, and an address of at most
 * `MAX_EMAIL_LENGTH` characters (users-permissions checks only its form; its column holds 255 characters, and
 * PostgreSQL and MySQL refuse a longer value with a 500).
 */
export function assertStorableUserData(data: unknown): void {
  assertNoNulCharacter(data);
  const email = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).email : undefined;
  if (typeof email === 'string' && email.length > MAX_EMAIL_LENGTH) {
    throw new errors.ValidationError(`"email" must be at most ${MAX_EMAIL_LENGTH} characters long.`, {
      errors: [{ path: ['email'], message: `must be at most ${MAX_EMAIL_LENGTH} characters` }],
    });
  }
}

export function readString(body: Record<string, unknown>, field: string, { maxLength = 1024 } = {}): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new errors.ValidationError(`"${field}" is required and must be a string.`, {
      errors: [{ path: [field], message: 'must be a non-empty string' }],
    });
  }
  assertNoNulCharacter(value, field);
  if (value.length > maxLength) {
    throw new errors.ValidationError(`"${field}" must be at most ${maxLength} characters long.`, {
      errors: [{ path: [field], message: `must be at most ${maxLength} characters` }],
    });
  }
  return value;
}

export function readEmail(body: Record<string, unknown>, field = 'email'): string {
  const email = readString(body, field, { maxLength: MAX_EMAIL_LENGTH }).trim();
  if (!EMAIL_PATTERN.test(email)) {
    throw new errors.ValidationError(`"${field}" must be an email address.`, {
      errors: [{ path: [field], message: 'must be an email address' }],
    });
  }
  return email;
}

/** Dates the plugin stores must fit every database's datetime column (MySQL's stops at year 9999). */
const EARLIEST_DATE = Date.UTC(1970, 0, 1);
const LATEST_DATE = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A route's `:id` (or a page number), as a positive whole number that every database can hold. */
export function readId(value: unknown, field = 'id'): number {
  const id = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isSafeInteger(id) || id <= 0 || id > MAX_INTEGER) {
    throw new errors.ValidationError(`"${field}" must be a whole number from 1 to ${MAX_INTEGER}.`, {
      errors: [{ path: [field], message: `must be a whole number from 1 to ${MAX_INTEGER}` }],
    });
  }
  return id;
}

export function readOptionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    throw new errors.ValidationError(`"${field}" must be true or false.`, { errors: [{ path: [field], message: 'must be a boolean' }] });
  }
  return value;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time, or null (which clears). */
export function readNullableDate(body: Record<string, unknown>, field: string): Date | null {
  const value = body[field];
  if (value === null) return null;
  const date = typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime()) || date.getTime() < EARLIEST_DATE || date.getTime() > LATEST_DATE) {
    throw new errors.ValidationError(`"${field}" must be an ISO 8601 date-time between 1970 and 9999, or null.`, {
      errors: [{ path: [field], message: 'must be a date-time between 1970 and 9999, or null' }],
    });
  }
  return date;
}

export function readIdList(body: Record<string, unknown>, field: string, max: number): number[] {
  const value = body[field];
  if (!Array.isArray(value) || value.length === 0 || value.length > max) {
    throw new errors.ValidationError(`"${field}" must be a list of 1 to ${max} account ids.`, {
      errors: [{ path: [field], message: `must be an array of 1 to ${max} ids` }],
    });
  }
  return value.map((item, i) => readId(typeof item === 'number' || typeof item === 'string' ? item : NaN, `${field}[${i}]`));
}

/** A support PIN: digits only, as many as the contract says. */
export function readPin(body: Record<string, unknown>): string {
  const pin = readString(body, 'pin', { maxLength: PIN_DIGITS.max });
  if (!PIN_PATTERN.test(pin)) {
    throw new errors.ValidationError(`"pin" must be ${PIN_DIGITS.min} to ${PIN_DIGITS.max} digits.`, {
      errors: [{ path: ['pin'], message: `must be ${PIN_DIGITS.min} to ${PIN_DIGITS.max} digits` }],
    });
  }
  return pin;
}

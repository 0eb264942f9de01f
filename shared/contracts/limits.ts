// Limits the server enforces and the admin panel states: one number each.

/** Support PINs: digits only, this many. */
export const PIN_DIGITS = { min: 4, max: 12 } as const;
export const PIN_PATTERN = new RegExp(`^\\d{${PIN_DIGITS.min},${PIN_DIGITS.max}}$`);
/** Wrong PINs in a row before checking is locked, and for how long. */
export const MAX_PIN_ATTEMPTS = 5;
export const PIN_LOCK_MINUTES = 15;

/**
 * Test emails one administrator may send from Settings → Password reset emails in a window: each is a real email
 * from the site's sender, so a stolen session cannot use the button to spam or burn the sender's reputation.
 */
export const TEST_SEND_LIMIT = { points: 5, durationSeconds: 3600 } as const;

/** Accounts one bulk send may name. */
export const MAX_BULK_ACCOUNTS = 100000;

/** The largest id, page or count the plugin accepts: PostgreSQL's and MySQL's `integer` stop here. */
export const MAX_INTEGER = 2147483647;

/** bcrypt reads a password's first 72 bytes only: the most `passwordPolicy.maxBytes` may be. */
export const BCRYPT_MAX_BYTES = 72;

/** ASVS 5.0 6.2.1: a password of at least 8 characters; the least `passwordPolicy.minLength` may be. */
export const MIN_PASSWORD_LENGTH = 8;

/**
 * While a dependency the public routes need is out of reach (the database; Redis with `whenStoreDown: 'refuse'`),
 * they answer 503 with this Retry-After, in seconds, and this message: outages worth surviving are short, and the
 * request was not stored.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
export const UNAVAILABLE_MESSAGE = 'The service is briefly unavailable and nothing was stored. Try again in a few seconds.';

// The password policy (ARCHITECTURE.md, invariant 4): one pure function, used by every path that accepts a password.
import { dictionary } from '@zxcvbn-ts/language-common';

export interface PolicyOptions {
  minLength: number;
  maxBytes: number;
  rejectCommon: boolean;
  rejectPersonalInfo: boolean;
}

export interface PersonalInfo {
  email?: string | null;
  username?: string | null;
}

import type { PolicyFailure } from '../../../shared/contracts';

export type { PolicyFailure };

const commonPasswords = new Set<string>((dictionary as Record<string, string[]>)['passwords-common'] ?? []);

/** "password123!" and "Password2024" are as guessable as "password": compare without trailing digits and symbols. */
function isCommon(password: string) {
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, '');
  return commonPasswords.has(lower) || (stem.length >= 4 && commonPasswords.has(stem));
}

function containsPersonalInfo(password: string, info: PersonalInfo) {
  const lower = password.toLowerCase();
  const email = info.email?.trim().toLowerCase();
  const candidates = [email, email?.split('@')[0], info.username?.trim().toLowerCase()];
  return candidates.some((value) => value && value.length >= 3 && lower.includes(value));
}

/** Every rule the password breaks, each with a message a person can act on; empty when it passes. */
export function checkPassword(password: string, options: PolicyOptions, info: PersonalInfo = {}): PolicyFailure[] {
  const failures: PolicyFailure[] = [];
  if ([...password].length < options.minLength) {
    failures.push({ rule: 'too-short', message: `must be at least ${options.minLength} characters long`, limit: options.minLength });
  }
  if (Buffer.byteLength(password, 'utf8') > options.maxBytes) {
    failures.push({ rule: 'too-long', message: `must be at most ${options.maxBytes} bytes long`, limit: options.maxBytes });
  }
  if (options.rejectCommon && isCommon(password)) {
    failures.push({ rule: 'common', message: 'must not be a commonly used password' });
  }
  if (options.rejectPersonalInfo && containsPersonalInfo(password, info)) {
    failures.push({ rule: 'personal-info', message: "must not contain the account's email address or username" });
  }
  return failures;
}

export const describeFailures = (failures: PolicyFailure[]) => `The password ${failures.map((failure) => failure.message).join(', and ')}.`;

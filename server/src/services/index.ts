// The plugin's services, lowest first. Each imports only those above it in this list.
import audit from './audit';
import settings from './settings';
import accounts from './accounts';
import codes from './codes';
import passwords from './passwords';
import templates from './templates';
import mailer from './mailer';
import rateLimit from './rate-limit';
import outbox from './outbox';
import recovery from './recovery';
import jobs from './jobs';
import administration from './administration';
import pins from './pins';
import health from './health';

const services = {
  audit,
  settings,
  accounts,
  codes,
  passwords,
  templates,
  mailer,
  'rate-limit': rateLimit,
  outbox,
  recovery,
  jobs,
  administration,
  pins,
  health,
};

export type Services = { [Name in keyof typeof services]: ReturnType<(typeof services)[Name]> };
export default services;

// The plugin's Document Service middlewares, registered in one place.
import type { Core } from '@strapi/strapi';
import { enforcePasswordPolicy } from './password-policy';

export function registerDocumentMiddlewares(strapi: Core.Strapi) {
  enforcePasswordPolicy(strapi);
}

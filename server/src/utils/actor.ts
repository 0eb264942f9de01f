// Who is acting: an admin, an API token, a signed-in user, a visitor, or the system. Read from the request.
import type { Core } from '@strapi/strapi';
import type { Ctx } from './context';
import type { ActorType } from '../../../shared/contracts';

export interface Actor {
  type: ActorType;
  id?: string;
  ip?: string;
}

export const SYSTEM: Actor = { type: 'system' };

type RequestLike = Partial<Pick<Ctx, 'ip' | 'state'>>;

/** The actor behind a request context, or the system when there is no request (a script, a cron job). */
export function actorFromContext(ctx: RequestLike | undefined): Actor {
  if (!ctx) return SYSTEM;
  const ip = ctx.ip;
  const strategy = ctx.state?.auth?.strategy?.name;
  if (strategy === 'api-token' || strategy === 'content-api-token') {
    return { type: 'api-token', id: String(ctx.state?.auth?.credentials?.id ?? ''), ip };
  }
  const user = ctx.state?.user;
  if (user?.id !== undefined) {
    return { type: ctx.state?.route?.info?.type === 'admin' ? 'admin' : 'user', id: String(user.id), ip };
  }
  return { type: 'visitor', ip };
}

export function currentActor(strapi: Core.Strapi): Actor {
  return actorFromContext(strapi.requestContext.get() as RequestLike | undefined);
}

/** The compact form stored on a code row. */
export const describeActor = (actor: Actor) =>
  actor.type === 'visitor' ? `visitor:${actor.ip ?? ''}` : actor.id ? `${actor.type}:${actor.id}` : actor.type;

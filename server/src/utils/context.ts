// The parts of Koa's request context this plugin reads. Strapi's own Context type does not carry what its
// auth strategies put in `state`, so these are written down once here.
export interface RequestState {
  route?: { info?: { type?: string } };
  auth?: { strategy?: { name?: string }; credentials?: { id?: number | string } | null };
  /** The admin user (admin routes) or the users-permissions user (content API). */
  user?: { id?: number | string } | null;
  /** Set by the admin auth strategy: what the admin's roles allow. */
  userAbility?: { can(action: string): boolean };
}

export interface Ctx {
  ip: string;
  method: string;
  path: string;
  request: { body?: unknown; header?: Record<string, string | string[] | undefined> };
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  status: number;
  type: string;
  set(name: string, value: string): void;
  state: RequestState;
  /** Node's response, to cut a streamed download that failed half-way. */
  res: { destroy(): void };
}

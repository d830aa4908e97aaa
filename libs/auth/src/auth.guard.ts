import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { type Actor, mayAct, type Role } from './roles';
import { AuthError, verifyToken } from './tokens';

export const JWT_SECRET = Symbol('JWT_SECRET');
const ROLES_KEY = 'fundtrail:roles';
/** `Authorization: Bearer <JWT>`; the scheme name is case-insensitive (RFC 7235 §2.1). */
export const BEARER_TOKEN = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

/** Roles allowed on a route (admin always is); routes without it are public. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

type AuthenticatedRequest = Request & { actor?: Actor };

/** The caller, from the verified token; never from the body. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new AuthError(401, 'UNAUTHENTICATED', 'a bearer token is required');
  return actor;
});

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!allowed) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header) throw new AuthError(401, 'UNAUTHENTICATED', 'a bearer token is required');
    const match = BEARER_TOKEN.exec(header);
    if (!match) throw new AuthError(401, 'INVALID_TOKEN', 'the Authorization header must be "Bearer <JWT>"');
    const actor = verifyToken(match[1], this.secret);
    if (!mayAct(actor, allowed)) {
      throw new AuthError(403, 'FORBIDDEN', `role ${actor.role} may not do this; allowed: ${[...allowed, 'admin'].join(', ')}`);
    }
    request.actor = actor;
    return true;
  }
}

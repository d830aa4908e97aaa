import { readFile } from 'node:fs/promises';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { JWT_SECRET, signToken } from '@fundtrail/auth';
import { problem, ProblemException } from '../problem/problem';
import { ProblemSchema } from '../openapi/schemas';

export const DASHBOARD_OPTIONS = Symbol('DASHBOARD_OPTIONS');
export interface DashboardOptions {
  /** Embedded mode (no DATABASE_URL): the API runs on one person's machine, with its secret in their data dir. */
  embedded: boolean;
}

/** How long a token minted for the local dashboard lives. */
export const LOCAL_TOKEN_LIFETIME = '30m';
export const LOCAL_TOKEN_SUBJECT = 'local-dashboard';
/** The header the dashboard's script sends; a page of another site cannot send it without a CORS preflight, which this API never grants. */
export const SIGN_IN_HEADER = 'x-fundtrail-dashboard';

/** The page loads only its own files and talks only to its own API: no inline script, no other origin. */
const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'chart.umd.min.js': 'text/javascript; charset=utf-8',
};

const ASSET_DIR = join(__dirname, 'assets');

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || (isIPv4(v4) && v4.startsWith('127.'));
}

/** localhost, 127.x.y.z or [::1], with any port: a name another site's DNS cannot point here (rebinding). */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || (isIPv4(name) && name.startsWith('127.'));
}

/**
 * GET /dashboard: the analysts' page (public: it holds no data; its calls to /api carry the token).
 * POST /api/dashboard/local-token: in embedded mode only, from this machine only, a short-lived
 * read-only analyst token for the person running it.
 */
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  constructor(
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {}

  @Get('dashboard')
  @ApiExcludeEndpoint()
  async page(@Res() response: Response): Promise<void> {
    await this.send(response, 'index.html', 'text/html; charset=utf-8');
  }

  @Get('dashboard/assets/:file')
  @ApiExcludeEndpoint()
  async asset(@Param('file') file: string, @Res() response: Response): Promise<void> {
    if (!Object.hasOwn(ASSETS, file)) throw new ProblemException(problem(404, 'NOT_FOUND', `no dashboard file ${file}`));
    await this.send(response, file, ASSETS[file]);
  }

  @Get('api/dashboard/sign-in')
  @ApiOperation({ summary: 'How the dashboard may sign in here: localToken is true in embedded mode (no DATABASE_URL)' })
  @ApiResponse({ status: 200, description: '{ localToken: boolean }' })
  @Header('Cache-Control', 'no-store')
  signInOptions() {
    return { localToken: this.options.embedded };
  }

  @Post('api/dashboard/local-token')
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      `Embedded mode only: a read-only analyst token (${LOCAL_TOKEN_LIFETIME}) for the person at this machine. Refused unless the request comes ` +
      `from a loopback address, names a loopback host and carries ${SIGN_IN_HEADER}: sign-in`,
  })
  @ApiResponse({ status: 201, description: '{ token, role: "analyst", sub, expiresIn }' })
  @ApiResponse({ status: 403, type: ProblemSchema, description: 'LOCAL_ONLY: not from this machine, another Host, or without the header' })
  @ApiResponse({ status: 404, type: ProblemSchema, description: 'NOT_FOUND: not in embedded mode' })
  localToken(@Req() request: Request) {
    if (!this.options.embedded) throw new ProblemException(problem(404, 'NOT_FOUND', 'local sign-in exists only in embedded mode (no DATABASE_URL)'));
    const origin = request.headers.origin;
    const local =
      isLoopbackAddress(request.socket.remoteAddress) &&
      isLoopbackHost(request.headers.host) &&
      (origin === undefined || isLoopbackHost(origin.replace(/^https?:\/\//, ''))) &&
      request.headers[SIGN_IN_HEADER] === 'sign-in';
    if (!local) throw new ProblemException(problem(403, 'LOCAL_ONLY', 'a local token is given only to a page on this machine, at localhost'));
    const token = signToken({ sub: LOCAL_TOKEN_SUBJECT, role: 'analyst' }, this.secret, LOCAL_TOKEN_LIFETIME);
    return { token, role: 'analyst', sub: LOCAL_TOKEN_SUBJECT, expiresIn: LOCAL_TOKEN_LIFETIME };
  }

  private async send(response: Response, file: string, contentType: string): Promise<void> {
    let body: Buffer;
    try {
      body = await readFile(join(ASSET_DIR, file));
    } catch {
      throw new ProblemException(problem(404, 'NOT_FOUND', `dashboard file ${file} is not built: run npm run build`));
    }
    response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    response.setHeader('Cache-Control', 'no-cache');
    response.type(contentType).send(body);
  }
}

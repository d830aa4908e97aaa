import type { Request } from 'express';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** What a paged answer says about itself: where it is, how many there are, and the URL of the next page. */
export interface PageFields {
  page: number;
  pageSize: number;
  /** How many items the whole list holds (events, figures or terms, as the endpoint says). */
  total: number;
  /** The next page: this request's path and query with `page` moved on; null on the last page. */
  next: string | null;
}

/**
 * One page of `items` as the validated `page` and `pageSize` ask (PageQueryDto), and the URL of
 * the next one. `pin` adds query parameters to that URL that hold the list still while a client
 * walks it (the events answer pins `toPosition`, so a write between two pages changes nothing).
 */
export function pageOf<T>(
  items: readonly T[],
  query: { page?: string; pageSize?: string },
  request: Request,
  pin: Record<string, string> = {},
): { items: T[]; paging: PageFields } {
  const paging = pageFields(items.length, query, request, pin);
  const start = (paging.page - 1) * paging.pageSize;
  return { items: items.slice(start, start + paging.pageSize), paging };
}

/** The paging fields of a list of `total` items that is paged where it is stored (the page itself read there). */
export function pageFields(total: number, query: { page?: string; pageSize?: string }, request: Request, pin: Record<string, string> = {}): PageFields {
  const page = Number(query.page ?? 1);
  const pageSize = Number(query.pageSize ?? DEFAULT_PAGE_SIZE);
  let next: string | null = null;
  if (page * pageSize < total) {
    const query = request.originalUrl.indexOf('?');
    const params = new URLSearchParams(query === -1 ? '' : request.originalUrl.slice(query + 1));
    for (const [name, value] of Object.entries(pin)) params.set(name, value);
    params.set('page', String(page + 1));
    params.set('pageSize', String(pageSize));
    next = `${request.path}?${params.toString()}`;
  }
  return { page, pageSize, total, next };
}

/**
 * JSON over HTTP for the browser: one function, typed results, and a named error that says whether the server
 * simply lacks the endpoint (404/501, a feature not deployed yet) so that panels can hide instead of failing.
 * Requests carry the sign-in's Bearer token when there is one (auth/session.ts).
 */
import { session } from '../auth/session.ts'

/** A failed request: `missing` is true when the endpoint does not exist (yet) on this server. */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`twin-ui: ${url} answered ${status}`)
  }

  get missing(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501
  }
}

/** GETs `url` and parses its JSON body; throws `HttpError` on a non-2xx status. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await session.fetch(url, { signal, headers: { accept: 'application/json' } })
  if (!response.ok) throw new HttpError(response.status, url)
  return (await response.json()) as T
}

/** POSTs a JSON body; throws `HttpError` on a non-2xx status. */
export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await session.fetch(url, {
    method: 'POST',
    signal,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new HttpError(response.status, url)
  return (await response.json()) as T
}

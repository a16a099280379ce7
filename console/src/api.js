// Gatehouse's own API, for the pages Kong's components do not cover. A 401 signs out (the router
// then shows the sign-in page); other failures are thrown as ApiError with the answer's body.
import { session, signOut } from './session'
import { router } from './router'

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || body?.message || body?.title || `HTTP ${status}`)
    this.status = status
    this.body = body
  }

  /** Konnect's problem+json invalid_parameters, and the core entities' details, by field. */
  get fieldErrors() {
    const errors = {}
    for (const p of this.body?.invalid_parameters ?? []) {
      if (p.field) errors[p.field] = p.reason
    }
    for (const d of this.body?.details ?? []) {
      if (d.field) errors[d.field] = (d.messages ?? []).join(', ')
    }
    return errors
  }
}

export async function api(method, path, body) {
  const text = await send(method, path, {
    body: body === undefined ? undefined : JSON.stringify(body),
    contentType: body === undefined ? undefined : 'application/json',
  })
  return text ? safeJson(text) : null
}

/**
 * A request whose body or answer is a document rather than JSON (a kong.yaml): the body is sent
 * as is with its own Content-Type, and the answer's text comes back unparsed. Failures are thrown
 * as api() throws them.
 */
export async function send(method, path, { body, contentType, accept } = {}) {
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${session.token}`,
      ...(contentType ? { 'Content-Type': contentType } : {}),
      ...(accept ? { Accept: accept } : {}),
    },
    body,
  })
  const text = await response.text()
  if (response.status === 401) {
    unauthorized()
  }
  if (!response.ok) {
    throw new ApiError(response.status, text ? safeJson(text) : null)
  }
  return text
}

/** Sends the user back to sign-in, remembering where they were. */
export function unauthorized() {
  signOut()
  const current = router.currentRoute.value
  if (current.name !== 'sign-in') {
    router.push({ name: 'sign-in', query: { expired: '1', next: current.fullPath } })
  }
}

/** For Kong's components' error events: an axios error whose answer was 401 signs out. */
export function onComponentError(error) {
  if (error?.response?.status === 401) {
    unauthorized()
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text)
  } catch {
    return { message: text }
  }
}

// Signing in with Microsoft Entra ID: the OAuth 2.0 authorization code flow with PKCE (RFC 7636),
// as a single-page application registered in the tenant. The app says how (GET /console/config.json:
// the client id, the tenant's endpoints, the scope), so one build serves every deployment. The
// verifier and state wait in this tab's sessionStorage while the browser is at Entra ID; the code
// comes back to CALLBACK_PATH and is exchanged for an access token at the token endpoint from here,
// which Entra allows only for redirect URIs registered on the "Single-page application" platform.

export const CALLBACK_PATH = '/sign-in/callback'

const pendingKey = 'gatehouse.entra.pending'
let settings

/** The console's Entra ID settings, or null when the app offers only a pasted token. */
export function entraSettings() {
  settings ??= fetch('/console/config.json')
    .then(response => (response.ok ? response.json() : {}))
    .then(document => document.entra_id ?? null)
    .catch(() => {
      settings = undefined
      return null
    })
  return settings
}

export function redirectUri() {
  return window.location.origin + CALLBACK_PATH
}

/** Leaves for Entra ID's sign-in; `next` is where to go once back and signed in. */
export async function startEntraSignIn(entra, next) {
  const verifier = randomText(32)
  const state = randomText(16)
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)))
  sessionStorage.setItem(pendingKey, JSON.stringify({
    verifier,
    state,
    next,
    clientId: entra.client_id,
    tokenEndpoint: entra.token_endpoint,
    scope: entra.scopes.join(' '),
  }))
  const authorize = new URL(entra.authorization_endpoint)
  authorize.search = new URLSearchParams({
    client_id: entra.client_id,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: redirectUri(),
    scope: entra.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString()
  window.location.assign(authorize.toString())
}

/**
 * Back from Entra ID with `code` and `state` (or `error`): the access token and where to go next.
 * Throws an Error saying why when Entra refused, the state is not this tab's, or the exchange fails.
 */
export async function finishEntraSignIn(query) {
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) || 'null')
  // One use: a reloaded callback page must not replay the code.
  sessionStorage.removeItem(pendingKey)
  if (query.error) {
    throw new Error(query.error_description || query.error)
  }
  if (!pending) {
    throw new Error('No sign-in was started in this tab.')
  }
  if (!query.code || query.state !== pending.state) {
    throw new Error('The answer from Entra ID is not for the sign-in this tab started.')
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: pending.clientId,
      grant_type: 'authorization_code',
      code: query.code,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
      scope: pending.scope,
    }),
  })
  const body = await response.json().catch(() => ({}))
  if (!response.ok || !body.access_token) {
    throw new Error(body.error_description || body.error || `The token endpoint answered HTTP ${response.status}.`)
  }
  return { token: body.access_token, next: pending.next }
}

// RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]; base64url of random bytes is such.
function randomText(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

function base64Url(buffer) {
  const text = String.fromCharCode(...new Uint8Array(buffer))
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

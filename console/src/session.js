// The signed-in token lives in sessionStorage: gone when the tab closes, never sent to another origin.
import { reactive } from 'vue'

const key = 'gatehouse.token'

export const session = reactive({
  token: sessionStorage.getItem(key) || '',
})

export function signIn(token) {
  session.token = token
  sessionStorage.setItem(key, token)
}

/**
 * Whether Gatehouse accepts the token, tried on a cheap call every authenticated caller may make:
 * false for a 401; a failure to answer is thrown.
 */
export async function acceptsToken(token) {
  const response = await fetch('/v2/control-planes?page[size]=1', { headers: { Authorization: `Bearer ${token}` } })
  return response.status !== 401
}

/** Where to go once signed in: the `next` the sign-in page was given, if it is a path of this console. */
export function nextPath(next) {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}

export function signOut() {
  session.token = ''
  sessionStorage.removeItem(key)
}

/**
 * The config Kong's entity components take in Konnect mode, pointed at this origin. An
 * `axiosRequestConfig` in `extra` is added to the one that carries the token.
 */
export function konnectConfig(controlPlaneId, extra = {}) {
  const { axiosRequestConfig, ...rest } = extra
  return {
    app: 'konnect',
    apiBaseUrl: window.location.origin,
    controlPlaneId,
    axiosRequestConfig: { ...axiosRequestConfig, headers: { Authorization: `Bearer ${session.token}` } },
    ...rest,
  }
}

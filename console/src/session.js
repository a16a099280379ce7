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

export function signOut() {
  session.token = ''
  sessionStorage.removeItem(key)
}

/** The config Kong's entity components take in Konnect mode, pointed at this origin. */
export function konnectConfig(controlPlaneId, extra = {}) {
  return {
    app: 'konnect',
    apiBaseUrl: window.location.origin,
    controlPlaneId,
    axiosRequestConfig: { headers: { Authorization: `Bearer ${session.token}` } },
    ...extra,
  }
}

// Loads a kind's Kong package when its page opens; a failed load (a stale deployment's chunk)
// is shown on the page rather than leaving it blank.
import { shallowRef, ref } from 'vue'

export function useKongParts(kind) {
  const parts = shallowRef(null)
  const loadError = ref('')
  kind.load().then(
    loaded => { parts.value = loaded },
    error => { loadError.value = `The ${kind.noun} page could not be loaded: ${error.message}` },
  )
  return { parts, loadError }
}

/** A Kong package's module, once it and its stylesheet (imported beside it) have loaded. */
export function withStyle(pkg, style) {
  return Promise.all([pkg, style]).then(([module]) => module)
}

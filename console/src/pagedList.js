import { ref } from 'vue'
import { api } from './api'

/**
 * A list the API pages with `meta.page.next`: the first page from `firstPage`, more on request.
 * `load(true)` appends the next page; `load(false, { quiet: true })` reads the first page again
 * without showing the loading state (a refresh while the list is on screen).
 */
export function usePagedList(firstPage) {
  const items = ref([])
  const next = ref(null)
  const loading = ref(true)
  const loadError = ref('')

  async function load(more = false, { quiet = false } = {}) {
    loading.value = !more && !quiet
    loadError.value = ''
    try {
      const answer = await api('GET', more ? next.value : firstPage)
      items.value = more ? [...items.value, ...answer.data] : answer.data
      next.value = answer.meta?.page?.next ?? null
    } catch (e) {
      loadError.value = e.message
    } finally {
      loading.value = false
    }
  }

  return { items, next, loading, loadError, load }
}

import { ref } from 'vue'
import { api } from './api'

/**
 * A list the API pages with `meta.page.next`: the first page from `firstPage`, more on request.
 * `load(true)` appends the next page; `load(false, { quiet: true })` reads the first page again
 * without showing the loading state (a refresh while the list is on screen); `reload` reads it again
 * quietly and pages on until it shows what it must (after a change, the rows the user had paged
 * through and the ones just added, wherever they sort).
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

  async function reload({ atLeast = 0, until = () => true } = {}) {
    await load(false, { quiet: true })
    while (next.value && !loadError.value && (items.value.length < atLeast || !until(items.value))) {
      await load(true)
    }
  }

  return { items, next, loading, loadError, load, reload }
}

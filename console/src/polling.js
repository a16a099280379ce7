import { onMounted, onUnmounted } from 'vue'

/**
 * Calls `refresh` every `intervalMs` while the component is mounted, so what the page shows follows
 * the server without a reload. A call still running is not started again (a slow answer must not
 * pile up requests), and a hidden tab is not polled.
 */
export function usePolling(refresh, intervalMs) {
  let timer = null
  let running = false

  async function tick() {
    if (running || document.hidden) return
    running = true
    try {
      await refresh()
    } finally {
      running = false
    }
  }

  onMounted(() => { timer = setInterval(tick, intervalMs) })
  onUnmounted(() => clearInterval(timer))
}

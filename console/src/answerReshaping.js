import axios from 'axios'

/**
 * An axios config, for Kong's components, under which a GET's JSON answer passes through
 * `reshape(body, path)` after axios parses it: how the console gives a component an answer in the
 * shape it reads where Gatehouse's API, following Konnect's reference, answers another.
 */
export function reshapedAnswers(reshape) {
  return {
    transformResponse: [...axios.defaults.transformResponse, function (body) {
      if (this.method !== 'get' || !body || typeof body !== 'object') return body
      return reshape(body, new URL(this.url, window.location.origin).pathname)
    }],
  }
}

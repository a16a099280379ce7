// Saves text the console holds (a generated key, an exported kong.yaml) as a file, through a Blob
// URL: nothing goes back to the server, which keeps no copy of a generated key to answer again.
export function saveFile(fileName, text, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The click has started the download; the URL is no longer needed once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

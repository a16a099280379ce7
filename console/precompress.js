import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipped = promisify(gzip)

// What compresses: scripts, styles and the like. Images and fonts come compressed already.
const compressible = /\.(js|mjs|css|svg|json|wasm|txt)$/
// Below this, the saving is smaller than what a response's headers cost.
const smallest = 1024
// Brotli's quality 5: within 3 % of quality 9's size for 15 % of its time (0.6 s against 4 s for
// the console's 12 MB of scripts, 3.1 MB either way); quality 11 takes 17 s for 2.75 MB.
const brotliQuality = 5

/**
 * Writes beside each built asset its brotli (.br) and gzip (.gz) forms, once, at build: the app
 * serves them to browsers that accept them (src/Gatehouse.Functions/WebConsole/PrecompressedAssets.cs),
 * so a request costs no compression. The console's scripts are 12 MB as built (the plugins page
 * alone loads 6 MB: Kong's package and the Monaco editor it imports) and 3.1 MB in brotli.
 */
export default function precompress({ folder = 'assets' } = {}) {
  let assets
  return {
    name: 'gatehouse-precompress',
    apply: 'build',
    configResolved(config) {
      assets = resolve(config.root, config.build.outDir, folder)
    },
    async closeBundle() {
      const names = (await readdir(assets)).filter(name => compressible.test(name))
      await Promise.all(names.map(async name => {
        const file = join(assets, name)
        const bytes = await readFile(file)
        if (bytes.length < smallest) {
          return
        }
        const forms = [
          ['.br', await brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
          ['.gz', await gzipped(bytes, { level: 9 })],
        ]
        // A form no smaller than the file is not worth a Content-Encoding.
        await Promise.all(forms.filter(([, form]) => form.length < bytes.length).map(([suffix, form]) => writeFile(file + suffix, form)))
      }))
    },
  }
}

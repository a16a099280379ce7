import { withStyle } from './kongParts'

// Kong's plugins package, for the pages beside its list: choosing a plugin, and its form (which is
// also the form of a consumer's credentials).
export const pluginPackage = {
  noun: 'plugin',
  load: () => withStyle(import('@kong-ui-public/entities-plugins'), import('@kong-ui-public/entities-plugins/dist/style.css')),
}

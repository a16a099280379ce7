// Kong's plugins package, for the pages beside its list: choosing a plugin, and its form (which is
// also the form of a consumer's credentials).
export const pluginPackage = {
  noun: 'plugin',
  load: () => Promise.all([
    import('@kong-ui-public/entities-plugins'),
    import('@kong-ui-public/entities-plugins/dist/style.css'),
  ]).then(([m]) => m),
}

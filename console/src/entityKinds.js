import { pluginPackage } from './pluginPackage'
import { withStyle } from './kongParts'

// The Kong entities whose pages are Kong's own list and form components, one entry each: its tab,
// where its pages live under a control plane, and how to load its package. Each package (with its
// stylesheet) is imported only when one of its pages opens, so the control plane list does not
// load them, and only the plugin form brings Monaco.

/** Links into the standard pages of a kind: list, create, and one entity (view and edit are one page). */
export function standardLinks(base, path) {
  return {
    createRoute: `${base}/${path}/create`,
    getViewRoute: id => `${base}/${path}/${id}`,
    getEditRoute: id => `${base}/${path}/${id}`,
  }
}

/** Kong's certificate package, and the list requests that give its lists their metadata. */
function certificateParts(pick) {
  return Promise.all([
    withStyle(import('@kong-ui-public/entities-certificates'), import('@kong-ui-public/entities-certificates/dist/style.css')),
    import('./certificateMetadata'),
  ]).then(([m, metadata]) => ({ ...pick(m), listConfig: { axiosRequestConfig: metadata.certificateListRequests } }))
}

export const entityKinds = [
  {
    path: 'consumers',
    tab: 'Consumers',
    noun: 'consumer',
    idProp: 'consumerId',
    load: () => withStyle(import('@kong-ui-public/entities-consumers'), import('@kong-ui-public/entities-consumers/dist/style.css'))
      .then(m => ({ List: m.ConsumerList, Form: m.ConsumerForm })),
    // A consumer's credentials are shown under its form once it exists.
    detail: () => import('./components/ConsumerCredentials.vue'),
  },
  {
    path: 'consumer-groups',
    tab: 'Consumer groups',
    noun: 'consumer group',
    idProp: 'consumerGroupId',
    // The form also picks the group's consumers (consumer_groups/{id}/consumers), with that answer reshaped.
    load: () => Promise.all([
      withStyle(import('@kong-ui-public/entities-consumer-groups'), import('@kong-ui-public/entities-consumer-groups/dist/style.css')),
      import('./consumerGroupAnswers'),
    ]).then(([m, answers]) => ({
      List: m.ConsumerGroupList,
      Form: m.ConsumerGroupForm,
      formConfig: { axiosRequestConfig: answers.consumerGroupFormRequests },
    })),
  },
  {
    path: 'plugins',
    tab: 'Plugins',
    noun: 'plugin',
    load: () => pluginPackage.load().then(m => ({ List: m.PluginList })),
    // A plugin is created by first choosing its kind (PluginSelectPage), and opened by its name and id.
    listLinks: base => ({
      createRoute: `${base}/plugins/select`,
      getViewRoute: plugin => `${base}/plugins/${plugin.name}/${plugin.id}`,
      getEditRoute: plugin => `${base}/plugins/${plugin.name}/${plugin.id}`,
      getScopedEntityViewRoute: (type, id) => `${base}/${scopedPaths[type] ?? `${type}s`}/${id}`,
      getConfigureDynamicOrderingRoute: plugin => `${base}/plugins/${plugin.name}/${plugin.id}`,
    }),
    custom: true,
  },
  {
    path: 'upstreams',
    tab: 'Upstreams',
    noun: 'upstream',
    idProp: 'upstreamId',
    load: () => withStyle(import('@kong-ui-public/entities-upstreams-targets'), import('@kong-ui-public/entities-upstreams-targets/dist/style.css'))
      .then(m => ({ List: m.UpstreamsList, Form: m.UpstreamsForm })),
    // Sticky sessions came with Kong 3.11; Gatehouse serves 3.9.
    formConfig: () => ({ stickySessionsAvailable: false }),
    detail: () => import('./components/UpstreamTargets.vue'),
  },
  {
    path: 'certificates',
    tab: 'Certificates',
    noun: 'certificate',
    idProp: 'certificateId',
    // Subject, expiry and SANs, which the list reads from Konnect's metadata, computed from each PEM.
    load: () => certificateParts(m => ({ List: m.CertificateList, Form: m.CertificateForm })),
    listLinks: base => ({ ...standardLinks(base, 'certificates'), getCreateSniRoute: () => `${base}/snis/create` }),
    // The form's SNI field (written in the certificate's own snis list) shows only with a link to the SNIs.
    formProps: { showSnisField: true },
    formConfig: base => ({ sniListRoute: `${base}/snis` }),
  },
  {
    path: 'ca-certificates',
    tab: 'CA certificates',
    noun: 'CA certificate',
    idProp: 'certificateId',
    // Issuer and expiry, as for certificates.
    load: () => certificateParts(m => ({ List: m.CACertificateList, Form: m.CACertificateForm })),
  },
  {
    path: 'snis',
    tab: 'SNIs',
    noun: 'SNI',
    idProp: 'sniId',
    load: () => withStyle(import('@kong-ui-public/entities-snis'), import('@kong-ui-public/entities-snis/dist/style.css'))
      .then(m => ({ List: m.SniList, Form: m.SniForm })),
  },
  {
    path: 'keys',
    tab: 'Keys',
    noun: 'key',
    idProp: 'keyId',
    load: () => withStyle(import('@kong-ui-public/entities-keys'), import('@kong-ui-public/entities-keys/dist/style.css'))
      .then(m => ({ List: m.KeyList, Form: m.KeyForm })),
  },
  {
    path: 'key-sets',
    tab: 'Key sets',
    noun: 'key set',
    idProp: 'keySetId',
    load: () => withStyle(import('@kong-ui-public/entities-key-sets'), import('@kong-ui-public/entities-key-sets/dist/style.css'))
      .then(m => ({ List: m.KeySetList, Form: m.KeySetForm })),
  },
  {
    path: 'vaults',
    tab: 'Vaults',
    noun: 'vault',
    idProp: 'vaultId',
    load: () => withStyle(import('@kong-ui-public/entities-vaults'), import('@kong-ui-public/entities-vaults/dist/style.css'))
      .then(m => ({ List: m.VaultList, Form: m.VaultForm })),
    // Kong 3.9 OSS knows only the env vault; the form still offers the others, and the server says no.
    formConfig: () => ({ azureVaultProviderAvailable: false, ttl: true }),
  },
]

// Where the plugin list's links to a plugin's scope go (its types are Kong's singular names).
const scopedPaths = { service: 'services', route: 'routes', consumer: 'consumers', consumer_group: 'consumer-groups' }

export const entityKind = path => entityKinds.find(kind => kind.path === path)

const EntityList = () => import('./pages/EntityList.vue')
const EntityForm = () => import('./pages/EntityForm.vue')

/** The control plane's child routes for every kind above: list, create and one entity. */
export function entityRoutes() {
  const routes = entityKinds.flatMap(kind => [
    { path: kind.path, name: kind.path, component: EntityList, props: { kind: kind.path } },
    ...(kind.custom ? [] : [
      { path: `${kind.path}/create`, name: `${kind.path}-create`, component: EntityForm, props: { kind: kind.path } },
      { path: `${kind.path}/:entityId`, name: `${kind.path}-edit`, component: EntityForm, props: route => ({ kind: kind.path, entityId: route.params.entityId }) },
    ]),
  ])
  const PluginSelectPage = () => import('./pages/PluginSelectPage.vue')
  const PluginEdit = () => import('./pages/PluginEdit.vue')
  return [
    ...routes,
    { path: 'plugins/select', name: 'plugin-select', component: PluginSelectPage },
    { path: 'plugins/:pluginType/create', name: 'plugin-create', component: PluginEdit, props: true },
    { path: 'plugins/:pluginType/:pluginId', name: 'plugin-edit', component: PluginEdit, props: true },
    // A consumer's credential is a plugin form in credential mode, written under the consumer.
    { path: 'consumers/:consumerId/credentials/:pluginType/create', name: 'credential-create', component: PluginEdit, props: true },
    { path: 'consumers/:consumerId/credentials/:pluginType/:pluginId', name: 'credential-edit', component: PluginEdit, props: true },
  ]
}

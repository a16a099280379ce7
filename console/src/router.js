import { createRouter, createWebHistory } from 'vue-router'
import { session } from './session'
import SignIn from './pages/SignIn.vue'
import SignInCallback from './pages/SignInCallback.vue'
import Overview from './pages/Overview.vue'
import ControlPlane from './pages/ControlPlane.vue'
import DpCertificates from './pages/DpCertificates.vue'
import DeclarativeConfig from './pages/DeclarativeConfig.vue'
import GroupMembers from './pages/GroupMembers.vue'
import ConfigVersions from './pages/ConfigVersions.vue'
import NodeList from './pages/NodeList.vue'
import Dashboard from './pages/Dashboard.vue'
import { entityRoutes } from './entityKinds'

// Pages built on Kong's entity packages load when opened, so signing in does not fetch them.
const ServiceList = () => import('./pages/ServiceList.vue')
const ServiceEdit = () => import('./pages/ServiceEdit.vue')
const RouteList = () => import('./pages/RouteList.vue')
const RouteEdit = () => import('./pages/RouteEdit.vue')

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/sign-in', name: 'sign-in', component: SignIn, meta: { public: true } },
    { path: '/sign-in/callback', name: 'sign-in-callback', component: SignInCallback, meta: { public: true } },
    { path: '/', name: 'overview', component: Overview },
    {
      path: '/control-planes/:controlPlaneId',
      component: ControlPlane,
      props: true,
      children: [
        { path: '', redirect: to => ({ name: 'services', params: to.params }) },
        { path: 'services', name: 'services', component: ServiceList, props: true },
        { path: 'services/create', name: 'service-create', component: ServiceEdit, props: true },
        { path: 'services/:serviceId', name: 'service-edit', component: ServiceEdit, props: true },
        { path: 'routes', name: 'routes', component: RouteList, props: true },
        { path: 'routes/create', name: 'route-create', component: RouteEdit, props: true },
        { path: 'routes/:routeId', name: 'route-edit', component: RouteEdit, props: true },
        ...entityRoutes(),
        { path: 'dp-certificates', name: 'dp-certificates', component: DpCertificates },
        { path: 'declarative-config', name: 'declarative-config', component: DeclarativeConfig },
        { path: 'members', name: 'members', component: GroupMembers },
        { path: 'versions', name: 'versions', component: ConfigVersions },
        { path: 'nodes', name: 'nodes', component: NodeList },
        { path: 'dashboard', name: 'dashboard', component: Dashboard },
      ],
    },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
})

router.beforeEach(to => {
  if (!to.meta.public && !session.token) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  }
  return true
})

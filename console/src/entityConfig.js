// What Kong's entity components need besides the Konnect base config: where their links go.
import { konnectConfig } from './session'

export function forControlPlane(controlPlane, extra = {}) {
  return konnectConfig(controlPlane.id, {
    controlPlaneName: controlPlane.name,
    isControlPlaneGroup: controlPlane.config?.cluster_type === 'CLUSTER_TYPE_CONTROL_PLANE_GROUP',
    ...extra,
  })
}

// What a Kong list keeps its column preferences (in localStorage) and its cached rows (swrv, keyed
// by this and the page query, not the endpoint) under. Each list needs its own: with the control
// plane's id alone, a column hidden in Gateway Services was hidden in Consumers too, and a list could
// be handed the rows another list had just fetched.
export function tableIdentity(controlPlane, ...scope) {
  return [controlPlane.id, ...scope].join('-')
}

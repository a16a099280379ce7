// What Kong's entity components need besides the Konnect base config: where their links go.
import { konnectConfig } from './session'

export function forControlPlane(controlPlane, extra = {}) {
  return konnectConfig(controlPlane.id, {
    controlPlaneName: controlPlane.name,
    isControlPlaneGroup: controlPlane.config?.cluster_type === 'CLUSTER_TYPE_CONTROL_PLANE_GROUP',
    ...extra,
  })
}

/** The shared mesh shape and size of each device kind's instances (one geometry per kind, disposed by its owner). */
import { BoxGeometry, CylinderGeometry, IcosahedronGeometry, type BufferGeometry } from 'three'
import type { DeviceKind } from '../api/scene-types.ts'

/** Creates the geometry for one kind's instances. */
export function deviceGeometry(kind: DeviceKind): BufferGeometry {
  switch (kind) {
    case 'elevator':
      return new BoxGeometry(2.2, 2.2, 2.8)
    case 'water_pump':
      return new CylinderGeometry(1.2, 1.2, 2.4, 12).rotateX(Math.PI / 2)
    case 'street_light':
      return new CylinderGeometry(0.25, 0.25, 5, 6).rotateX(Math.PI / 2).translate(0, 0, 2.5)
    case 'access_gate':
    case 'parking_barrier':
      return new BoxGeometry(1.4, 1.4, 1.6).translate(0, 0, 0.8)
    case 'people_counter':
    case 'env_sensor':
    case 'fire_panel':
      return new IcosahedronGeometry(1.0, 0)
    case 'electricity_meter':
    case 'water_meter':
    case 'smoke_detector':
      return new IcosahedronGeometry(0.45, 0)
  }
}

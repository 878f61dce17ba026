/**
 * The pending layout changes drawn in the 3D twin: a green post where a gate is added, a red block over a gate
 * that is closed, and a green slab where a parking lot is added. A handful of meshes sharing one geometry and
 * three materials; nothing is allocated when the list does not change.
 */
import { useThree } from '@react-three/fiber'
import { useEffect, useMemo } from 'react'
import { BoxGeometry, MeshBasicMaterial } from 'three'
import type { SceneGate } from '../api/scene-types.ts'
import type { PlannerChange } from '../../../sim/index.ts'

export interface ChangeMarkersProps {
  readonly gates: readonly SceneGate[]
  readonly changes: readonly PlannerChange[]
}

interface Marker {
  readonly key: string
  readonly position: [number, number, number]
  readonly scale: [number, number, number]
  readonly kind: 'added' | 'closed' | 'lot'
}

/** Where each change is drawn. */
function markers(gates: readonly SceneGate[], changes: readonly PlannerChange[]): Marker[] {
  const out: Marker[] = []
  changes.forEach((c, k) => {
    if (c.type === 'addGate') {
      out.push({ key: `${k}`, position: [c.position[0], c.position[1], 0], scale: [5, 5, 9], kind: 'added' })
    } else if (c.type === 'closeGate') {
      const g = gates.find((x) => x.id === c.id)
      if (g)
        out.push({
          key: `${k}`,
          position: [g.position[0], g.position[1], 0],
          scale: [9, 9, 6],
          kind: 'closed',
        })
    } else if (c.type === 'addParking') {
      const xs = c.polygon.map((p) => p[0])
      const ys = c.polygon.map((p) => p[1])
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
      out.push({
        key: `${k}`,
        position: [(x0 + x1) / 2, (y0 + y1) / 2, 0],
        scale: [x1 - x0, y1 - y0, 0.8],
        kind: 'lot',
      })
    }
  })
  return out
}

/** The markers of the pending changes. */
export function ChangeMarkers({ gates, changes }: ChangeMarkersProps) {
  const invalidate = useThree((s) => s.invalidate)
  const shared = useMemo(
    () => ({
      box: new BoxGeometry(1, 1, 1).translate(0, 0, 0.5),
      added: new MeshBasicMaterial({ color: '#3ddc97' }),
      closed: new MeshBasicMaterial({ color: '#e5484d' }),
      lot: new MeshBasicMaterial({ color: '#3ddc97', transparent: true, opacity: 0.55 }),
    }),
    [],
  )
  useEffect(
    () => () => {
      shared.box.dispose()
      shared.added.dispose()
      shared.closed.dispose()
      shared.lot.dispose()
    },
    [shared],
  )
  const list = useMemo(() => markers(gates, changes), [gates, changes])
  useEffect(() => invalidate(), [list, invalidate])
  return (
    <group>
      {list.map((m) => (
        <mesh
          key={m.key}
          geometry={shared.box}
          material={shared[m.kind]}
          position={m.position}
          scale={m.scale}
        />
      ))}
    </group>
  )
}

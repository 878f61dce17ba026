/** Gates as one instanced mesh of posts, coloured by kind (pedestrian, vehicle, mixed), sized by lanes. */
import { useEffect, useMemo } from 'react'
import { BoxGeometry, Color, InstancedMesh, Matrix4, MeshLambertMaterial } from 'three'
import type { SceneGate } from '../api/scene-types.ts'

export interface GatesProps {
  readonly gates: readonly SceneGate[]
}

const colors = {
  pedestrian: new Color('#7ee0a0'),
  vehicle: new Color('#ffb454'),
  mixed: new Color('#c3a6ff'),
}
const matrix = new Matrix4()

/** The gates. */
export function Gates({ gates }: GatesProps) {
  const mesh = useMemo(() => {
    const m = new InstancedMesh(
      new BoxGeometry(1, 1, 1).translate(0, 0, 0.5),
      new MeshLambertMaterial(),
      Math.max(1, gates.length),
    )
    m.count = gates.length
    gates.forEach((g, i) => {
      matrix.makeScale(3 + g.lanes * 1.5, 3, 4)
      matrix.setPosition(g.position[0], g.position[1], 0)
      m.setMatrixAt(i, matrix)
      m.setColorAt(i, colors[g.kind])
    })
    return m
  }, [gates])
  useEffect(
    () => () => {
      mesh.geometry.dispose()
      mesh.material.dispose()
      mesh.dispose()
    },
    [mesh],
  )
  return <primitive object={mesh} visible={gates.length > 0} />
}

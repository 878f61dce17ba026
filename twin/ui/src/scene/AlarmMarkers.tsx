/**
 * Pulsing markers over devices with open alarms: one instanced, camera-facing quad per alarm drawn with a small
 * ring shader (one draw call), always on top so an alarm is never hidden behind a building. Acknowledged alarms
 * stay but stop pulsing. The instance buffer is rebuilt only when the alarm list changes.
 */
import { useFrame, useThree } from '@react-three/fiber'
import { useEffect, useMemo, useRef } from 'react'
import {
  DynamicDrawUsage,
  InstancedBufferAttribute,
  InstancedBufferGeometry,
  Mesh,
  PlaneGeometry,
  ShaderMaterial,
} from 'three'
import type { SceneDevice } from '../api/scene-types.ts'
import type { LiveStore } from '../live/live-store.ts'

export interface AlarmMarkersProps {
  readonly store: LiveStore
  readonly devices: readonly SceneDevice[]
  readonly visible?: boolean
  /** Most markers drawn at once. */
  readonly capacity?: number
  /** Marker size in pixels at 1080 p. */
  readonly sizePx?: number
}

const vertexShader = /* glsl */ `
  attribute vec4 marker; // x, y, z, pulsing (1) or steady (0)
  uniform float time;
  uniform float size;
  uniform vec2 viewport;
  varying vec2 vUv;
  varying float vPulse;
  void main() {
    vUv = uv * 2.0 - 1.0;
    vPulse = marker.w > 0.5 ? fract(time * 0.8 + marker.x * 0.013) : -1.0;
    vec4 clip = projectionMatrix * viewMatrix * vec4(marker.xyz, 1.0);
    float scale = size * (viewport.y / 1080.0);
    clip.xy += position.xy * 2.0 * scale / viewport * clip.w;
    gl_Position = clip;
  }
`

const fragmentShader = /* glsl */ `
  varying vec2 vUv;
  varying float vPulse;
  void main() {
    float r = length(vUv);
    if (r > 1.0) discard;
    float core = smoothstep(0.32, 0.22, r);
    float ring = 0.0;
    if (vPulse >= 0.0) {
      float radius = 0.3 + vPulse * 0.7;
      ring = (1.0 - vPulse) * smoothstep(0.09, 0.0, abs(r - radius));
    }
    float alpha = max(core, ring);
    if (alpha < 0.02) discard;
    vec3 color = vPulse >= 0.0 ? vec3(1.0, 0.18, 0.12) : vec3(1.0, 0.62, 0.1);
    gl_FragColor = vec4(color, alpha);
  }
`

/** The alarm markers. */
export function AlarmMarkers({
  store,
  devices,
  visible = true,
  capacity = 512,
  sizePx = 40,
}: AlarmMarkersProps) {
  const seen = useRef(-1)
  // The screen swaps stores (live ↔ replay): a version number only means something for the store it came from.
  const seenStore = useRef<LiveStore | null>(null)
  const shown = useRef(visible)
  shown.current = visible
  /** Open (pulsing) markers drawn: while there are any, the pulse asks for every frame. */
  const pulsing = useRef(0)
  const invalidate = useThree((s) => s.invalidate)
  useEffect(() => invalidate(), [visible, invalidate])
  const setup = useMemo(() => {
    const geometry = new InstancedBufferGeometry()
    const quad = new PlaneGeometry(1, 1)
    geometry.index = quad.index
    geometry.setAttribute('position', quad.getAttribute('position'))
    geometry.setAttribute('uv', quad.getAttribute('uv'))
    const marker = new InstancedBufferAttribute(new Float32Array(capacity * 4), 4)
    marker.setUsage(DynamicDrawUsage)
    geometry.setAttribute('marker', marker)
    geometry.instanceCount = 0
    const material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      uniforms: { time: { value: 0 }, size: { value: sizePx }, viewport: { value: [1920, 1080] } },
      transparent: true,
      depthTest: false,
      depthWrite: false,
    })
    const mesh = new Mesh(geometry, material)
    mesh.frustumCulled = false
    mesh.renderOrder = 10
    return { mesh, geometry, material, marker, quad }
  }, [capacity, sizePx])

  useEffect(
    () => () => {
      setup.geometry.dispose()
      setup.quad.dispose()
      setup.material.dispose()
    },
    [setup],
  )

  useFrame(({ clock, size }) => {
    const uniforms = setup.material.uniforms
    setup.mesh.visible = shown.current && setup.geometry.instanceCount > 0
    uniforms.time!.value = clock.elapsedTime
    if (setup.mesh.visible && pulsing.current > 0) invalidate()
    const viewport = uniforms.viewport!.value as number[]
    viewport[0] = size.width
    viewport[1] = size.height
    if (seen.current === store.alarmsVersion && seenStore.current === store) return
    seen.current = store.alarmsVersion
    seenStore.current = store
    const alarms = store.getAlarms()
    const array = setup.marker.array as Float32Array
    let n = 0
    let open = 0
    for (const alarm of alarms) {
      if (n >= capacity) break
      const device = store.indexOf(alarm.deviceId)
      if (device < 0) continue
      const d = devices[device]!
      array[n * 4] = d.x
      array[n * 4 + 1] = d.y
      array[n * 4 + 2] = Math.max(d.z, 0) + 4
      array[n * 4 + 3] = alarm.state === 'open' ? 1 : 0
      if (alarm.state === 'open') open++
      n++
    }
    pulsing.current = open
    setup.geometry.instanceCount = n
    setup.marker.needsUpdate = true
  })

  return <primitive object={setup.mesh} />
}

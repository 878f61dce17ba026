/**
 * The command-center wall screen for one community: the 3D twin filling the screen, the deck.gl overlay over it,
 * and the panels (layers with legends, alarms, KPIs, drill-down, the time scrubber) around it. Owns the live
 * store (with the replay's store while one plays: everything on screen then shows the replayed instant), the layer
 * toggles and the selection; exposes a small read-only hook on `window.__twin` for the benchmark and e2e tests.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react'
import {
  endpoints,
  type ComplaintsResponse,
  type ElevatorsResponse,
  type EnergyResponse,
  type FeesResponse,
  type MeResponse,
  type ParkingResponse,
  type RiskResponse,
  type WorkOrdersResponse,
} from '../api/endpoints.ts'
import {
  complaintHotspots,
  elevatorAvailability,
  energyTrend,
  feeCollectionRate,
  parkingOccupancy,
  workOrderSla,
  type KpiFigures,
} from '../api/kpi-figures.ts'
import type { Scene } from '../api/scene-types.ts'
import { useEndpoint } from '../api/useEndpoint.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { layersFromParam, type LayerId, type LayerState } from '../layers/layers.ts'
import { LiveStore } from '../live/live-store.ts'
import { useLiveStream } from '../live/useLiveStream.ts'
import { useServerState } from '../live/useServerState.ts'
import { SceneBridge } from '../scene/bridge.ts'
import type { Picked } from '../scene/Picker.tsx'
import { TwinCanvas } from '../scene/TwinCanvas.tsx'
import { AlarmList } from './AlarmList.tsx'
import { DetailPanel } from './DetailPanel.tsx'
import { ErrorBoundary } from './ErrorBoundary.tsx'
import { KpiPanel } from './KpiPanel.tsx'
import { LayerPanel } from './LayerPanel.tsx'
import { MaintenancePanel } from './MaintenancePanel.tsx'
import { StatusBar } from './StatusBar.tsx'
import { TimeScrubber } from './TimeScrubber.tsx'
import { useTick } from './useTick.ts'

const DeckOverlay = lazy(() => import('../deck/DeckOverlay.tsx'))

export interface WallScreenProps {
  readonly scene: Scene
}

declare global {
  interface Window {
    /** Read-only probe for the benchmark and the end-to-end tests. */
    __twin?: {
      readonly bridge: SceneBridge
      /** The live store. */
      readonly store: LiveStore
      /** The store on screen: the live one, or the replay's. */
      readonly shown: LiveStore
      readonly layers: LayerState
      selectDevice(id: string): void
    }
  }
}

const MINUTE = 60_000

/** The wall screen. */
export function WallScreen({ scene }: WallScreenProps) {
  const { t } = useI18n()
  const id = scene.community.id
  const store = useMemo(() => new LiveStore(scene.devices, scene.buildings), [scene])
  const [replay, setReplay] = useState<LiveStore | null>(null)
  const shown = replay ?? store
  const bridge = useMemo(() => new SceneBridge(), [])
  const live = useLiveStream(store, id)
  useServerState(store, id)
  const [layers, setLayers] = useState<LayerState>(() =>
    layersFromParam(new URLSearchParams(location.search).get('layers')),
  )
  const [selection, setSelection] = useState<Picked>(null)
  const [tour, setTour] = useState(() => new URLSearchParams(location.search).get('tour') !== '0')
  const [heatmapFallback, setHeatmapFallback] = useState(false)
  // The maintenance view (`?view=maintenance` opens it) takes the alarm list's place.
  const [maintenance, setMaintenance] = useState(
    () => new URLSearchParams(location.search).get('view') === 'maintenance',
  )
  const me = useEndpoint<MeResponse>(endpoints.me, { refreshMs: 10 * MINUTE })
  useTick(1000)

  const risk = useEndpoint<RiskResponse>(layers.risk ? endpoints.risk(id) : null, { refreshMs: 5 * MINUTE })
  const parking = useEndpoint<ParkingResponse>(layers.parking ? endpoints.parking(id) : null, {
    refreshMs: 5 * MINUTE,
  })
  const energy = useEndpoint<EnergyResponse>(endpoints.energy(id), { refreshMs: 5 * MINUTE })
  const complaints = useEndpoint<ComplaintsResponse>(endpoints.complaints(id), { refreshMs: 15 * MINUTE })
  const fees = useEndpoint<FeesResponse>(endpoints.fees(id), { refreshMs: 15 * MINUTE })
  const workOrders = useEndpoint<WorkOrdersResponse>(endpoints.workOrders(id), { refreshMs: 5 * MINUTE })
  const elevators = useEndpoint<ElevatorsResponse>(endpoints.elevators(id), { refreshMs: 5 * MINUTE })
  // Parking and elevator KPIs also arrive live (`kpi` events) whenever they change.
  const [pushed, setPushed] = useState<{ parking?: ParkingResponse; elevators?: ElevatorsResponse }>({})
  useEffect(() => {
    store.onKpi = (kpi, rows) => {
      if (!Array.isArray(rows)) return
      if (kpi === 'parking') setPushed((p) => ({ ...p, parking: { rows } }))
      if (kpi === 'elevators') setPushed((p) => ({ ...p, elevators: { rows } }))
    }
    return () => {
      store.onKpi = null
    }
  }, [store])

  const parkingData = pushed.parking ?? parking.data
  const occupancy = useMemo(() => parkingOccupancy(parkingData), [parkingData])
  const elevatorData = pushed.elevators ?? elevators.data
  const kpis = useMemo<KpiFigures>(
    () => ({
      energyTrend: energyTrend(energy.data),
      complaintHotspots: complaintHotspots(complaints.data),
      feeCollectionRate: feeCollectionRate(fees.data),
      workOrderSla: workOrderSla(workOrders.data),
      elevatorAvailability: elevatorAvailability(elevatorData),
    }),
    [energy.data, complaints.data, fees.data, workOrders.data, elevatorData],
  )

  const riskArray = useMemo(() => {
    if (!risk.data) return null
    const array = new Float32Array(store.count).fill(Number.NaN)
    for (const item of risk.data.items) {
      const device = store.indexOf(item.deviceId)
      if (device >= 0) array[device] = item.risk
    }
    return array
  }, [risk.data, store])

  // A new open alarm pulls the camera to its device (live only: a replay is being watched).
  useEffect(() => {
    if (replay) return
    let newest = Date.now() - MINUTE
    return store.subscribe(() => {
      const alarm = store.getAlarms().find((a) => a.state === 'open')
      if (!alarm || alarm.ts <= newest) return
      newest = alarm.ts
      const device = scene.devices[store.indexOf(alarm.deviceId)]
      if (device) bridge.requestFlyTo(device.x, device.y, Math.max(0, device.z), 140)
    })
  }, [store, scene, bridge, replay])

  const selectDevice = useCallback(
    (device: number) => {
      if (device < 0) return
      setSelection({ type: 'device', index: device })
      const d = scene.devices[device]
      if (d) bridge.requestFlyTo(d.x, d.y, Math.max(0, d.z), 100)
    },
    [scene, bridge],
  )

  useEffect(() => {
    window.__twin = {
      bridge,
      store,
      shown,
      layers,
      selectDevice: (deviceId) => selectDevice(store.indexOf(deviceId)),
    }
  }, [bridge, store, shown, layers, selectDevice])

  const toggle = useCallback((layer: LayerId) => setLayers((l) => ({ ...l, [layer]: !l[layer] })), [])
  const available: Readonly<Record<LayerId, boolean>> = {
    devices: true,
    labels: true,
    crowd: shown.crowdVersion > 0,
    energy: shown.energyVersion > 0,
    alarms: live === 'open' || shown.alarmsVersion > 0,
    risk: (risk.data?.items.length ?? 0) > 0,
    parking: (occupancy?.size ?? 0) > 0,
  }

  return (
    <div className="wall">
      <div className="stage">
        <ErrorBoundary>
          <TwinCanvas
            scene={scene}
            store={shown}
            bridge={bridge}
            layers={layers}
            risk={riskArray}
            occupancy={occupancy}
            selection={selection}
            onPick={setSelection}
            tour={tour}
          />
        </ErrorBoundary>
        <ErrorBoundary>
          <Suspense fallback={null}>
            <DeckOverlay
              scene={scene}
              store={shown}
              bridge={bridge}
              layers={layers}
              onHeatmapFallback={setHeatmapFallback}
            />
          </Suspense>
        </ErrorBoundary>
      </div>
      <StatusBar community={scene.community} store={store} live={live} tour={tour} onTour={setTour}>
        <button
          type="button"
          className={maintenance ? 'mode on' : 'mode'}
          data-mode="maintenance"
          aria-pressed={maintenance}
          onClick={() => setMaintenance((m) => !m)}
        >
          {t('maintenance')}
        </button>
      </StatusBar>
      <div className="side left">
        <LayerPanel
          layers={layers}
          onToggle={toggle}
          available={available}
          heatmapFallback={heatmapFallback}
        />
        <ErrorBoundary>
          <KpiPanel kpis={kpis} store={shown} />
        </ErrorBoundary>
      </div>
      <div className="side right">
        {maintenance ? (
          <MaintenancePanel
            communityId={id}
            store={store}
            onSelectDevice={selectDevice}
            canCreateWorkOrder={me.data?.permissions.includes('workorder:create') ?? false}
            canAcknowledge={me.data?.permissions.includes('prediction:manage') ?? false}
          />
        ) : (
          <AlarmList store={shown} onSelectDevice={selectDevice} actions={replay === null} />
        )}
        <DetailPanel scene={scene} store={shown} selection={selection} onClose={() => setSelection(null)} />
      </div>
      <div className="bottom">
        <ErrorBoundary>
          <TimeScrubber scene={scene} live={store} onStore={setReplay} />
        </ErrorBoundary>
      </div>
    </div>
  )
}

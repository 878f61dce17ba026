/**
 * Planner mode (issue 9): edit the layout on the 3D twin (click the wall to add a gate, the ground to add a
 * parking lot, a gate to close it), pick a demand, run the scenario on the server (progress shown), replay its
 * density heatmap on the twin's ground, compare two scenarios (A/B heatmaps and a KPI table), and export the
 * report (CSV of the table, PNG of the 3D view). Loaded lazily by the shell, so the wall screen's initial
 * download does not carry it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { Scene } from '../api/scene-types.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { ComparisonRow, Demand, PlannerChange } from '../../../sim/index.ts'
import { KpiTable } from './KpiTable.tsx'
import { plannerApi, type ScenarioResult } from './planner-api.ts'
import { nearestGate, nearestOnOutline, rectAround } from './plan-view.ts'
import { PlannerScene } from './PlannerScene.tsx'
import { download, kpiCsv } from './report.ts'
import { plannerText, type PlannerKey } from './strings.ts'
import { useScenarios } from './useScenarios.ts'
import './planner.css'

export interface PlannerModeProps {
  readonly scene: Scene
}

type Tool = 'closeGate' | 'addGate' | 'addParking'
type DemandKind = Demand['kind']

const REPLAY_MS = 250
/** How near to a gate (m, on the ground) a click counts as a click on it. */
const GATE_PICK_M = 10

/** One line of the pending-changes list. */
function describe(
  c: PlannerChange,
  t: (key: PlannerKey) => string,
  gateName: (id: string) => string,
): string {
  switch (c.type) {
    case 'addGate':
      return `${t('change.addGate')} ${c.id} (${c.position[0].toFixed(0)}, ${c.position[1].toFixed(0)})`
    case 'closeGate':
      return `${t('change.closeGate')} ${gateName(c.id)}`
    case 'addParking':
      return `${t('change.addParking')} ${c.id} · ${c.spaces}`
    case 'moveGate':
    case 'addArea':
      // Not made by this planner's tools; shown plainly if a stored study carries them.
      return `${c.type} ${c.id}`
  }
}

/** Figures of one result as table rows (no B). */
function singleRows(r: ScenarioResult): ComparisonRow[] {
  return r.kpis.figures.map((f) => ({
    metric: f.metric,
    unit: f.unit,
    a: f.value,
    b: null,
    change: null,
    lowerIsBetter: f.lowerIsBetter,
  }))
}

/** The frame with the most people in it (where a replay starts). */
function busiestFrame(r: ScenarioResult): number {
  let best = 0
  let most = -1
  r.kpis.heatmap?.frames.forEach((f, k) => {
    let people = 0
    for (let i = 1; i < f.length; i += 2) people += f[i]!
    if (people > most) {
      most = people
      best = k
    }
  })
  return best
}

/** The planner mode. */
export default function PlannerMode({ scene }: PlannerModeProps) {
  const { lang } = useI18n()
  const t = useMemo(() => plannerText(lang), [lang])
  const communityId = scene.community.id
  const homes = useMemo(
    () => scene.buildings.filter((b) => b.kind === 'tower' || b.kind === 'walkup'),
    [scene],
  )
  const [tool, setTool] = useState<Tool>('closeGate')
  const [changes, setChanges] = useState<PlannerChange[]>([])
  const [demand, setDemand] = useState<DemandKind>('morningPeak')
  const [building, setBuilding] = useState(homes[0]?.id ?? '')
  const [name, setName] = useState('')
  const [a, setA] = useState<string | null>(null)
  const [b, setB] = useState<string | null>(null)
  const [shown, setShown] = useState<{
    a: ScenarioResult
    b: ScenarioResult | null
    rows: ComparisonRow[]
  } | null>(null)
  const [frame, setFrame] = useState(0)
  const [playing, setPlaying] = useState(false)
  const capture = useRef<(() => string) | null>(null)
  const runs = useScenarios(communityId)
  const busy =
    runs.current !== null && (runs.current.status === 'queued' || runs.current.status === 'running')

  // Load what A and B name: one result, or the comparison of two.
  useEffect(() => {
    if (a === null) return
    const abort = new AbortController()
    const load = async () => {
      if (b === null || b === a) {
        const r = await plannerApi.result(a, abort.signal)
        setShown({ a: r, b: null, rows: singleRows(r) })
        setFrame(busiestFrame(r))
      } else {
        const c = await plannerApi.compare(a, b, abort.signal)
        setShown({ a: c.a, b: c.b, rows: c.rows })
        setFrame(busiestFrame(c.a))
      }
    }
    load().catch(() => undefined)
    return () => abort.abort()
  }, [a, b])

  // Which of the compared scenarios the replay shows.
  const [side, setSide] = useState<'a' | 'b'>('a')
  const heatmap = (side === 'b' && shown?.b ? shown.b : shown?.a)?.kpis.heatmap ?? null
  const frames = heatmap?.frames.length ?? 0
  const shownFrame = Math.min(frame, Math.max(0, frames - 1))
  useEffect(() => {
    if (!playing || frames === 0) return
    const timer = setInterval(() => setFrame((f) => (f + 1) % frames), REPLAY_MS)
    return () => clearInterval(timer)
  }, [playing, frames])

  // A click on the twin's ground, by the current tool. Kept in a ref so the canvas's click handler stays put.
  const pickRef = useRef<(x: number, y: number) => void>(() => undefined)
  // Ids of new gates and lots stay unique when changes are removed from the middle of the list.
  const serial = useRef(0)
  pickRef.current = (x, y) => {
    if (tool === 'closeGate') {
      const k = nearestGate(scene.gates, [x, y], GATE_PICK_M)
      const gate = scene.gates[k]
      if (gate) toggleClosed(gate.id, !changes.some((c) => c.type === 'closeGate' && c.id === gate.id))
    } else if (tool === 'addGate') {
      const n = ++serial.current
      const { point } = nearestOnOutline(scene.community.boundary, [x, y])
      setChanges([
        ...changes,
        { type: 'addGate', id: `new-gate-${n}`, kind: 'mixed', position: point, lanes: 1 },
      ])
    } else {
      const n = ++serial.current
      setChanges([
        ...changes,
        {
          type: 'addParking',
          id: `new-lot-${n}`,
          kind: 'surface',
          polygon: rectAround([x, y], 30, 20),
          spaces: 40,
        },
      ])
    }
  }
  const onGround = useCallback((x: number, y: number) => pickRef.current(x, y), [])
  const toggleClosed = (id: string, closed: boolean) =>
    setChanges(
      closed
        ? [...changes, { type: 'closeGate', id }]
        : changes.filter((c) => !(c.type === 'closeGate' && c.id === id)),
    )
  const gateName = (id: string) => scene.gates.find((g) => g.id === id)?.name ?? id

  const run = async () => {
    const chosen: Demand =
      demand === 'evacuation' ? { kind: 'evacuation', buildings: [building], outdoor: 0 } : { kind: demand }
    const label = name.trim() || `${t(`demand.${demand}`)} · ${changes.length}`
    const done = await runs.start(label, { seed: 1, changes, demand: chosen })
    if (done?.status === 'done') {
      setA(done.id)
      setB(null)
    }
  }

  return (
    <div className="planner" data-testid="planner">
      <header className="planner-bar">
        <h1>
          {t('title')} · {scene.community.name}
        </h1>
        <a href="#" className="planner-exit">
          {t('exit')}
        </a>
      </header>
      <div className="planner-body">
        <aside className="planner-side">
          <section>
            <h2>{t('layout')}</h2>
            <p>{t('tool')}</p>
            {(['closeGate', 'addGate', 'addParking'] as const).map((k) => (
              <label key={k} className="planner-option">
                <input
                  type="radio"
                  name="tool"
                  checked={tool === k}
                  onChange={() => setTool(k)}
                  data-tool={k}
                />
                {t(`tool.${k}`)}
              </label>
            ))}
            <h3>{t('closeGates')}</h3>
            {scene.gates.map((g) => (
              <label key={g.id} className="planner-option">
                <input
                  type="checkbox"
                  checked={changes.some((c) => c.type === 'closeGate' && c.id === g.id)}
                  onChange={(e) => toggleClosed(g.id, e.target.checked)}
                />
                {g.name} ({g.kind})
              </label>
            ))}
            <h3>{t('changes')}</h3>
            <ul className="planner-changes" data-testid="changes">
              {changes.length === 0 ? <li>{t('noChanges')}</li> : null}
              {changes.map((c, k) => (
                <li key={k} data-change={c.type}>
                  {describe(c, t, gateName)}{' '}
                  <button
                    type="button"
                    className="planner-remove"
                    title={t('remove')}
                    data-testid="remove-change"
                    onClick={() => setChanges(changes.filter((_, i) => i !== k))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <section>
            <h2>{t('demand')}</h2>
            <select
              value={demand}
              onChange={(e) => setDemand(e.target.value as DemandKind)}
              data-testid="demand"
            >
              {(['morningPeak', 'day', 'evacuation'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(`demand.${k}`)}
                </option>
              ))}
            </select>
            {demand === 'evacuation' && (
              <label className="planner-field">
                {t('building')}
                <select value={building} onChange={(e) => setBuilding(e.target.value)} data-testid="building">
                  {homes.map((h) => (
                    <option key={h.id} value={h.id}>
                      {h.name} · {h.floors}F
                    </option>
                  ))}
                </select>
              </label>
            )}
            <label className="planner-field">
              {t('name')}
              <input
                value={name}
                maxLength={100}
                onChange={(e) => setName(e.target.value)}
                data-testid="name"
              />
            </label>
            <button type="button" disabled={busy} onClick={() => void run()} data-testid="run">
              {t('run')}
            </button>
            {busy && runs.current && (
              <div className="planner-progress" data-testid="progress">
                {t(runs.current.status === 'queued' ? 'queued' : 'running')}{' '}
                {runs.current.progress.toFixed(0)}%
                <progress max={100} value={runs.current.progress} />
              </div>
            )}
            {runs.error && (
              <p className="planner-error" role="alert" data-testid="planner-error">
                {runs.error}
              </p>
            )}
          </section>
          <section>
            <h2>{t('scenarios')}</h2>
            <p>{t('compareHint')}</p>
            <ul className="planner-scenarios" data-testid="scenarios">
              {runs.scenarios.map((s) => (
                <li key={s.id} data-status={s.status}>
                  <label>
                    <input
                      type="radio"
                      name="a"
                      disabled={s.status !== 'done'}
                      checked={a === s.id}
                      onChange={() => setA(s.id)}
                    />
                    A
                  </label>
                  <label>
                    <input
                      type="radio"
                      name="b"
                      disabled={s.status !== 'done'}
                      checked={b === s.id}
                      onChange={() => setB(s.id)}
                    />
                    B
                  </label>{' '}
                  {s.name} · {t(s.status)}
                </li>
              ))}
            </ul>
          </section>
        </aside>
        <main className="planner-main">
          <PlannerScene
            scene={scene}
            changes={changes}
            heatmap={heatmap}
            frame={shownFrame}
            onGround={onGround}
            capture={capture}
          />
          {heatmap && frames > 0 && (
            <div className="planner-replay" data-testid="replay">
              {t('replay')}
              {shown?.b &&
                (['a', 'b'] as const).map((k) => (
                  <button
                    key={k}
                    type="button"
                    aria-pressed={side === k}
                    data-testid={`side-${k}`}
                    onClick={() => setSide(k)}
                  >
                    {k.toUpperCase()} · {(k === 'a' ? shown.a : shown.b!).scenario.name}
                  </button>
                ))}
              <button type="button" data-testid="play" onClick={() => setPlaying(!playing)}>
                {playing ? t('pause') : t('play')}
              </button>
              <input
                type="range"
                data-testid="scrub"
                min={0}
                max={frames - 1}
                value={shownFrame}
                onChange={(e) => setFrame(Number(e.target.value))}
              />
              <span data-testid="replay-time">{Math.round((shownFrame * heatmap.interval) / 60)} min</span>
            </div>
          )}
        </main>
        {shown && (
          <aside className="planner-kpis">
            <h2>{t('kpis')}</h2>
            <KpiTable
              rows={shown.rows}
              a={shown.a.scenario.name}
              b={shown.b?.scenario.name ?? null}
              t={t}
              lang={lang}
            />
            <button
              type="button"
              data-testid="export-csv"
              onClick={() =>
                download(
                  'scenario-kpis.csv',
                  kpiCsv(shown.rows, shown.a.scenario.name, shown.b?.scenario.name ?? null),
                )
              }
            >
              {t('exportCsv')}
            </button>
            <button
              type="button"
              data-testid="export-png"
              onClick={() => {
                const png = capture.current?.()
                if (png) download('scenario-twin.png', png)
              }}
            >
              {t('exportPng')}
            </button>
          </aside>
        )}
      </div>
    </div>
  )
}

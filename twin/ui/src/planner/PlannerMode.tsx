/**
 * Planner mode (issue 9): pick a layout change on the plan (add or close a gate, add parking) and a demand, run
 * the scenario on the server (progress shown), replay its density heatmap, compare two scenarios in a KPI table,
 * and export the report (CSV of the table, PNG of the plan). Loaded lazily by the shell, so the wall screen's
 * initial download does not carry it.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Scene } from '../api/scene-types.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import type { ComparisonRow, Demand, PlannerChange } from '../../../sim/index.ts'
import { KpiTable } from './KpiTable.tsx'
import { PlanCanvas, type PlanCanvasHandle } from './PlanCanvas.tsx'
import { plannerApi, type ScenarioResult } from './planner-api.ts'
import { nearestOnOutline, rectAround } from './plan-view.ts'
import { download, kpiCsv } from './report.ts'
import { plannerText } from './strings.ts'
import { useScenarios } from './useScenarios.ts'
import './planner.css'

export interface PlannerModeProps {
  readonly scene: Scene
}

type Tool = 'none' | 'addGate' | 'addParking'
type DemandKind = Demand['kind']

const REPLAY_MS = 250

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
  const [tool, setTool] = useState<Tool>('none')
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
  const plan = useRef<PlanCanvasHandle>(null)
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
  useEffect(() => {
    if (!playing || frames === 0) return
    const timer = setInterval(() => setFrame((f) => (f + 1) % frames), REPLAY_MS)
    return () => clearInterval(timer)
  }, [playing, frames])

  const pick = (x: number, y: number) => {
    const n = changes.length + 1
    if (tool === 'addGate') {
      const { point } = nearestOnOutline(scene.community.boundary, [x, y])
      setChanges([
        ...changes,
        { type: 'addGate', id: `new-gate-${n}`, kind: 'mixed', position: point, lanes: 1 },
      ])
    } else if (tool === 'addParking') {
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
  const toggleClosed = (id: string, closed: boolean) =>
    setChanges(
      closed
        ? [...changes, { type: 'closeGate', id }]
        : changes.filter((c) => !(c.type === 'closeGate' && c.id === id)),
    )

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
            {(['none', 'addGate', 'addParking'] as const).map((k) => (
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
                <li key={k}>
                  {c.type} {c.id}
                </li>
              ))}
            </ul>
            {changes.length > 0 && (
              <button type="button" onClick={() => setChanges(changes.slice(0, -1))}>
                {t('undo')}
              </button>
            )}
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
          <PlanCanvas
            ref={plan}
            scene={scene}
            changes={changes}
            heatmap={heatmap}
            frame={frame}
            onPick={pick}
          />
          {heatmap && frames > 0 && (
            <div className="planner-replay" data-testid="replay">
              {t('replay')}
              {shown?.b && (
                <select value={side} onChange={(e) => setSide(e.target.value === 'b' ? 'b' : 'a')}>
                  <option value="a">A · {shown.a.scenario.name}</option>
                  <option value="b">B · {shown.b.scenario.name}</option>
                </select>
              )}
              <button type="button" onClick={() => setPlaying(!playing)}>
                {playing ? t('pause') : t('play')}
              </button>
              <input
                type="range"
                min={0}
                max={frames - 1}
                value={frame}
                onChange={(e) => setFrame(Number(e.target.value))}
              />
              <span>{Math.round((frame * heatmap.interval) / 60)} min</span>
            </div>
          )}
        </main>
        {shown && (
          <aside className="planner-kpis">
            <h2>{t('kpis')}</h2>
            <KpiTable rows={shown.rows} a={shown.a.scenario.name} b={shown.b?.scenario.name ?? null} t={t} />
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
              onClick={() => download('scenario-plan.png', plan.current?.png() ?? '')}
            >
              {t('exportPng')}
            </button>
          </aside>
        )}
      </div>
    </div>
  )
}

/**
 * The time scrubber: replays a past interval (the last 15 min … 24 h) from the time machine at a chosen speed.
 * Entering a replay loads the snapshot at the interval's start and its replay stream, plays them into a store of
 * its own and hands that store to the screen (`onStore`), so every layer, the alarm list and the drill-down show
 * the replayed instant; "back to live" hands the live store back. The slider seeks.
 */
import { useEffect, useRef, useState } from 'react'
import { endpoints, type ReplayResponse, type SnapshotResponse } from '../api/endpoints.ts'
import { getJson } from '../api/http.ts'
import type { Scene } from '../api/scene-types.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LiveStore } from '../live/live-store.ts'
import { ReplayPlayer } from '../replay/replay-player.ts'

export interface TimeScrubberProps {
  readonly scene: Scene
  /** The live store (alarm details the replay stream lacks are looked up there). */
  readonly live: LiveStore
  /** Called with the replay's store when a replay starts, and null when it ends. */
  readonly onStore: (store: LiveStore | null) => void
  /** How often the play position advances, ms. */
  readonly stepMs?: number
}

const SPANS = [
  ['replay.15m', 15 * 60_000],
  ['replay.1h', 3_600_000],
  ['replay.6h', 6 * 3_600_000],
  ['replay.24h', 24 * 3_600_000],
] as const
const SPEEDS = [1, 10, 60, 600] as const

type Mode = 'live' | 'loading' | 'replay' | 'failed'

/** The time scrubber bar. */
export function TimeScrubber({ scene, live, onStore, stepMs = 250 }: TimeScrubberProps) {
  const { t, lang } = useI18n()
  const [mode, setMode] = useState<Mode>('live')
  const [player, setPlayer] = useState<ReplayPlayer | null>(null)
  const [position, setPosition] = useState(0)
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState<number>(60)
  const abort = useRef<AbortController | null>(null)

  const start = async (span: number) => {
    abort.current?.abort()
    const controller = new AbortController()
    abort.current = controller
    const to = Date.now()
    const from = to - span
    setMode('loading')
    setPlaying(false)
    try {
      const id = scene.community.id
      const [snapshot, stream] = await Promise.all([
        getJson<SnapshotResponse>(endpoints.timeMachine(id, from), controller.signal),
        getJson<ReplayResponse>(endpoints.replay(id, from, to), controller.signal),
      ])
      const store = new LiveStore(scene.devices, scene.buildings)
      const next = new ReplayPlayer(store, snapshot, stream, (alarmId) => live.alarm(alarmId))
      setPlayer(next)
      setPosition(next.position)
      setMode('replay')
      setPlaying(true)
      onStore(store)
    } catch {
      if (!controller.signal.aborted) setMode('failed')
    }
  }

  const backToLive = () => {
    abort.current?.abort()
    setPlaying(false)
    setPlayer(null)
    setMode('live')
    onStore(null)
  }

  // Playing: advance the position every step by `speed` times the step; stop at the end.
  useEffect(() => {
    if (!playing || !player) return
    const timer = setInterval(() => {
      const next = Math.min(player.to, player.position + stepMs * speed)
      player.seek(next)
      setPosition(next)
      if (next >= player.to) setPlaying(false)
    }, stepMs)
    return () => clearInterval(timer)
  }, [playing, player, speed, stepMs])

  useEffect(() => () => abort.current?.abort(), [])

  const time = (ms: number) => new Date(ms).toLocaleString(lang, { hour12: false })
  return (
    <section
      className={`panel time-scrubber mode-${mode}`}
      aria-label={t('replay')}
      data-testid="time-scrubber"
      data-mode={mode}
      data-from={player?.from}
      data-to={player?.to}
      data-position={player ? position : undefined}
    >
      <h2>{t('replay')}</h2>
      {mode !== 'replay' && (
        <div className="replay-start">
          <span>{t('replay.last')}</span>
          {SPANS.map(([key, span]) => (
            <button key={key} type="button" data-span={span} onClick={() => void start(span)}>
              {t(key)}
            </button>
          ))}
          {mode === 'loading' && <span className="muted">{t('replay.loading')}</span>}
          {mode === 'failed' && <span className="error">{t('replay.failed')}</span>}
        </div>
      )}
      {mode === 'replay' && player && (
        <div className="replay-controls">
          <button type="button" className="play" onClick={() => setPlaying((p) => !p)}>
            {playing ? t('replay.pause') : t('replay.play')}
          </button>
          <label>
            {t('replay.speed')}{' '}
            <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
              {SPEEDS.map((s) => (
                <option key={s} value={s}>
                  {s}×
                </option>
              ))}
            </select>
          </label>
          <input
            type="range"
            className="scrub"
            min={player.from}
            max={player.to}
            step={1000}
            value={position}
            onChange={(e) => {
              const at = Number(e.target.value)
              player.seek(at)
              setPosition(at)
            }}
          />
          <time data-testid="replay-time" data-at={position}>
            {time(position)}
          </time>
          <span className="muted">
            {player.eventCount} {t('replay.events')}
          </span>
          {player.truncated && <span className="error">{t('replay.truncated')}</span>}
          <button type="button" className="back" onClick={backToLive}>
            {t('replay.backToLive')}
          </button>
        </div>
      )}
    </section>
  )
}

/**
 * Layer toggles with their legends. A layer whose data has not arrived (its endpoint is not deployed yet, or the
 * live stream has carried none) says "no data" instead of drawing anything made up.
 */
import { useI18n } from '../i18n/I18nProvider.tsx'
import { LAYER_IDS, layerLegend, type LayerId, type LayerState } from '../layers/layers.ts'
import { heatRamp, rampCss, riskRamp } from '../scene/color-ramp.ts'

export interface LayerPanelProps {
  readonly layers: LayerState
  readonly onToggle: (id: LayerId) => void
  /** Whether each layer has data to show. */
  readonly available: Readonly<Record<LayerId, boolean>>
  /** The crowd layer is drawn as dots because float blending is missing. */
  readonly heatmapFallback?: boolean
}

const ramps: Partial<Record<LayerId, string>> = {
  crowd: rampCss(heatRamp),
  energy: rampCss(heatRamp),
  risk: rampCss(riskRamp),
  parking: rampCss(riskRamp),
}

/** The layer panel. */
export function LayerPanel({ layers, onToggle, available, heatmapFallback = false }: LayerPanelProps) {
  const { t } = useI18n()
  return (
    <section className="panel layer-panel" aria-label={t('layers')}>
      <h2>{t('layers')}</h2>
      <ul>
        {LAYER_IDS.map((id) => (
          <li key={id} data-layer={id} data-on={layers[id]} data-available={available[id]}>
            <label>
              <input type="checkbox" checked={layers[id]} onChange={() => onToggle(id)} />
              {t(`layer.${id}`)}
            </label>
            {layers[id] && (
              <div className="legend">
                {available[id] ? (
                  <>
                    {ramps[id] && <span className="ramp" style={{ background: ramps[id] }} />}
                    <span>{t(layerLegend[id])}</span>
                    {id === 'crowd' && heatmapFallback && <em>{t('legend.heatmapFallback')}</em>}
                  </>
                ) : (
                  <span className="no-data">{t('noData')}</span>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

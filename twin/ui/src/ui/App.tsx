/**
 * The app shell: loads the scene (retrying until the server answers) and shows the wall screen, or the sign-in
 * form when the server asks for credentials and the stored sign-in (a kiosk's refresh token) cannot be renewed —
 * at start, or later when it is revoked.
 */
import { useSyncExternalStore } from 'react'
import { useScene } from '../api/useScene.ts'
import { session } from '../auth/session.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'
import { SignIn } from './SignIn.tsx'
import { WallScreen } from './WallScreen.tsx'
import { LazyPlanner, PlannerLink, usePlannerRoute } from '../planner/entry.tsx'

/** The root component. */
export function App() {
  const { state, reload } = useScene()
  const { t } = useI18n()
  const auth = useSyncExternalStore(session.subscribe, session.getState)
  const planner = usePlannerRoute()
  if (state.status === 'ready' && auth !== 'signed-out')
    return planner ? (
      <LazyPlanner scene={state.scene} />
    ) : (
      <>
        <WallScreen scene={state.scene} />
        <PlannerLink />
      </>
    )
  if (state.status === 'sign-in' || auth === 'signed-out') {
    return (
      <div className="splash">
        <SignIn onSignedIn={reload} />
      </div>
    )
  }
  const message =
    state.status === 'empty' ? t('noCommunity') : state.status === 'retrying' ? t('loadFailed') : t('loading')
  return (
    <div className="splash" role="status">
      <h1>{t('title')}</h1>
      <p>{message}</p>
    </div>
  )
}

/** The sign-in form, shown when the server asks for credentials and no stored sign-in could be renewed. */
import { useState, type FormEvent } from 'react'
import { session } from '../auth/session.ts'
import { useI18n } from '../i18n/I18nProvider.tsx'

export interface SignInProps {
  /** Called after a successful sign-in. */
  readonly onSignedIn: () => void
}

/** The sign-in form. */
export function SignIn({ onSignedIn }: SignInProps) {
  const { t } = useI18n()
  const [failed, setFailed] = useState(false)
  const [busy, setBusy] = useState(false)
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const field = (name: string) => {
      const value = form.get(name)
      return typeof value === 'string' ? value : ''
    }
    setBusy(true)
    session
      .signIn(field('username'), field('password'), field('totp') || undefined)
      .then(onSignedIn, () => setFailed(true))
      .finally(() => setBusy(false))
  }
  return (
    <form className="panel sign-in" onSubmit={submit}>
      <h2>{t('signIn')}</h2>
      <p className="muted">{t('signInHint')}</p>
      <label>
        {t('username')} <input name="username" autoComplete="username" required />
      </label>
      <label>
        {t('password')} <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {t('totp')} <input name="totp" inputMode="numeric" pattern="\d{6}" autoComplete="one-time-code" />
      </label>
      {failed && <p className="error">{t('signInFailed')}</p>}
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
    </form>
  )
}

/** Language context: zh-CN by default, English on request; remembered in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { translate, type Lang, type MessageKey } from './dict.ts'

interface I18n {
  readonly lang: Lang
  readonly setLang: (lang: Lang) => void
  readonly t: (key: MessageKey) => string
}

const I18nContext = createContext<I18n>({
  lang: 'zh-CN',
  setLang: () => undefined,
  t: (k) => translate('zh-CN', k),
})

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang')
  if (fromUrl === 'en' || fromUrl === 'zh-CN') return fromUrl
  try {
    return localStorage.getItem('twin.lang') === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export interface I18nProviderProps {
  readonly children: ReactNode
}

/** Provides the language and the translate function. */
export function I18nProvider({ children }: I18nProviderProps) {
  const [lang, setLangState] = useState<Lang>(initialLang)
  const setLang = useCallback((next: Lang) => {
    setLangState(next)
    try {
      localStorage.setItem('twin.lang', next)
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang
  }, [lang])
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (key) => translate(lang, key) }), [lang, setLang])
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>
}

/** The current language, its setter and the translate function. */
export function useI18n(): I18n {
  return useContext(I18nContext)
}

/** Browser entry: mounts the app. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nProvider } from './i18n/I18nProvider.tsx'
import { App } from './ui/App.tsx'
import { ErrorBoundary } from './ui/ErrorBoundary.tsx'
import './styles.css'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <ErrorBoundary fallback={<p className="splash">twin-ui failed; reload the page</p>}>
          <App />
        </ErrorBoundary>
      </I18nProvider>
    </StrictMode>,
  )
}

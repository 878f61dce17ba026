/** Keeps a failing panel (or the deck.gl overlay) from taking the wall screen down: renders `fallback` instead. */
import { Component, type ErrorInfo, type ReactNode } from 'react'

export interface ErrorBoundaryProps {
  readonly children: ReactNode
  /** What to show instead of the failed subtree. */
  readonly fallback?: ReactNode
  /** Where the error goes (default: console.warn with a prefix). */
  readonly onError?: (error: Error, info: ErrorInfo) => void
}

export class ErrorBoundary extends Component<ErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    if (this.props.onError) this.props.onError(error, info)
    else console.warn(`twin-ui: ${error.message}`)
  }

  override render(): ReactNode {
    return this.state.failed ? (this.props.fallback ?? null) : this.props.children
  }
}

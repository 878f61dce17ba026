/** Re-renders the caller every `periodMs` and returns the current time (epoch ms): clocks, freshness, status. */
import { useEffect, useState } from 'react'

export function useTick(periodMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), periodMs)
    return () => clearInterval(timer)
  }, [periodMs])
  return now
}

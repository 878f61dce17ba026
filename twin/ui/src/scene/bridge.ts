/**
 * State shared between the three.js frame loop, the deck.gl overlay and the page outside React's render cycle:
 * the camera matrices deck.gl draws with, camera fly-to requests, and frame counters that the benchmark and
 * the end-to-end tests read (exposed as `window.__twin`). Plain fields, written in place; nothing per frame.
 */

/** A view state for the deck.gl ThreeView: column-major matrices as plain arrays (deck deep-compares them). */
export interface MatrixViewState {
  readonly viewMatrix: number[]
  readonly projectionMatrix: number[]
  /**
   * Clip-space w at the point looked at (its distance along the view axis). deck.gl adds pixel offsets (text,
   * icons) in clip space scaled by the viewport's focal distance; with it equal to w there, a 15 px label is
   * 15 px at the centre of the view and shrinks with perspective farther away.
   */
  focalDistance: number
}

export class SceneBridge {
  /** Two view states used alternately, so deck.gl sees a new object without one being allocated per frame. */
  private readonly viewStates: readonly [MatrixViewState, MatrixViewState] = [
    {
      viewMatrix: new Array<number>(16).fill(0),
      projectionMatrix: new Array<number>(16).fill(0),
      focalDistance: 1,
    },
    {
      viewMatrix: new Array<number>(16).fill(0),
      projectionMatrix: new Array<number>(16).fill(0),
      focalDistance: 1,
    },
  ]
  private current = 0
  /** Called after the camera changed, with the view state to draw (set by the deck.gl overlay when loaded). */
  onCamera: ((viewState: MatrixViewState) => void) | null = null
  /** A place the camera rig should fly to: world x, y, z and a distance; `version` changes per request. */
  readonly flyTo = { x: 0, y: 0, z: 0, distance: 120, version: 0 }
  /** Frames rendered, time of the first frame with the scene in it (ms since navigation start). */
  frames = 0
  firstSceneFrameMs = 0
  /** Time of the last user input on the canvas (performance.now()), for the auto-tour's idle check. */
  lastInputAt = 0
  /** Asks the canvas for a frame (r3f's `invalidate`, set by the camera rig: the canvas renders on demand). */
  wake: (() => void) | null = null

  /** The view state currently shown. */
  get viewState(): MatrixViewState {
    return this.viewStates[this.current]!
  }

  /**
   * Publishes new camera matrices (column-major `elements` of three.js matrices); returns false when they did not
   * change, so deck.gl redraws only when the camera moved.
   */
  publishCamera(view: ArrayLike<number>, projection: ArrayLike<number>, focalDistance: number): boolean {
    const shown = this.viewStates[this.current]!
    let same = true
    for (let i = 0; i < 16 && same; i++) {
      same = shown.viewMatrix[i] === view[i] && shown.projectionMatrix[i] === projection[i]
    }
    if (same) return false
    this.current = 1 - this.current
    const next = this.viewStates[this.current]!
    next.focalDistance = focalDistance
    for (let i = 0; i < 16; i++) {
      next.viewMatrix[i] = view[i]!
      next.projectionMatrix[i] = projection[i]!
    }
    this.onCamera?.(next)
    return true
  }

  /** Asks the camera rig to fly to a point. */
  requestFlyTo(x: number, y: number, z: number, distance = 120): void {
    this.flyTo.x = x
    this.flyTo.y = y
    this.flyTo.z = z
    this.flyTo.distance = distance
    this.flyTo.version++
    this.wake?.()
  }
}

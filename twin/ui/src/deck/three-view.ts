/**
 * A deck.gl View whose viewport is built from three.js camera matrices (view and projection, column-major), so
 * deck.gl layers in CARTESIAN metres line up exactly with the three.js scene (same z-up metre frame). The view
 * has no controller: the three.js MapControls is the only thing that moves the camera.
 */
import { OrbitController, View, Viewport } from '@deck.gl/core'

/** The deck.gl side of the shared camera; its view state is a `MatrixViewState` (scene/bridge.ts). */
export class ThreeView extends View {
  constructor() {
    super({ id: 'three', controller: false })
  }

  getViewportType(): typeof Viewport {
    return Viewport
  }

  // Required by View; never used because the controller is off.
  protected get ControllerType(): typeof OrbitController {
    return OrbitController
  }
}

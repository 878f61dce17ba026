/**
 * Pixel checks on a screenshot, decoded by the browser itself (no image library): the share of bright pixels
 * (any channel above `threshold`) in a region given as fractions of the image. The dark theme's ground, roads
 * and background stay below the threshold; lit buildings, devices and data layers rise above it.
 */
import type { Page } from 'playwright-core'

export interface Region {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** Share (0..1) of pixels in `region` whose brightest channel exceeds `threshold`. */
export async function countBrightPixels(
  page: Page,
  png: Buffer,
  region: Region,
  threshold = 100,
): Promise<number> {
  return page.evaluate(
    async ({ data, region, threshold }) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const x = Math.floor(image.width * region.x)
      const y = Math.floor(image.height * region.y)
      const w = Math.floor(image.width * region.width)
      const h = Math.floor(image.height * region.height)
      const canvas = new OffscreenCanvas(w, h)
      const context = canvas.getContext('2d')
      if (!context) return 0
      context.drawImage(image, -x, -y)
      const pixels = context.getImageData(0, 0, w, h).data
      let bright = 0
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.max(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!) > threshold) bright++
      }
      return bright / (w * h)
    },
    { data: png.toString('base64'), region, threshold },
  )
}

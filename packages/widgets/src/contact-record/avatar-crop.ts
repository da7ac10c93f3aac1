// The crop of a picture to the circle, as plain numbers (no DOM): the viewport is a square of side 1, the picture
// is drawn at `scale` viewport units per image pixel with its top-left corner at (x, y). The picture always covers
// the viewport (no empty corners in the circle), from "fits the short side" up to 8 times that.

export interface Crop {
  /** The picture's size in pixels. */
  width: number;
  height: number;
  scale: number;
  x: number;
  y: number;
}

export const MAX_ZOOM = 8;

const minScale = (c: Pick<Crop, 'width' | 'height'>) => 1 / Math.min(c.width, c.height);

/** Keeps the scale within bounds and the picture over the whole viewport. */
export function clamp(c: Crop): Crop {
  const scale = Math.min(Math.max(c.scale, minScale(c)), minScale(c) * MAX_ZOOM);
  const x = Math.min(0, Math.max(1 - c.width * scale, c.x));
  const y = Math.min(0, Math.max(1 - c.height * scale, c.y));
  return { ...c, scale, x, y };
}

/** The picture centred, its short side filling the viewport. */
export const initialCrop = (width: number, height: number): Crop => {
  const scale = minScale({ width, height });
  return clamp({ width, height, scale, x: (1 - width * scale) / 2, y: (1 - height * scale) / 2 });
};

/** Moves the picture by (dx, dy) viewport units. */
export const move = (c: Crop, dx: number, dy: number) => clamp({ ...c, x: c.x + dx, y: c.y + dy });

/** The zoom as a factor of the smallest scale: 1 … MAX_ZOOM. */
export const zoomOf = (c: Crop) => c.scale / minScale(c);

/** Zooms to `zoom` (1 … MAX_ZOOM) keeping the point (px, py) of the viewport (default: its centre) where it is. */
export function zoomTo(c: Crop, zoom: number, px = 0.5, py = 0.5): Crop {
  const scale = Math.min(Math.max(zoom, 1), MAX_ZOOM) * minScale(c);
  const ratio = scale / c.scale;
  return clamp({ ...c, scale, x: px - (px - c.x) * ratio, y: py - (py - c.y) * ratio });
}

/** The square of the picture (in its pixels) the viewport shows: what is kept. */
export const sourceRect = (c: Crop) => ({ sx: -c.x / c.scale, sy: -c.y / c.scale, size: 1 / c.scale });

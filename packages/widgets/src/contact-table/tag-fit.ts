// How many tag chips a Tags cell shows: the whole chips that fit the column's width, then "+N" — never a chip
// cut to a letter or two. Chip text is measured once per tag (canvas), so scrolling stays cheap.

/** The chip box around its text: padding 8 px each side plus a 1 px border (.tag), and the 4 px gap between chips. */
const CHIP = 18;
const MORE = 14;
const GAP = 4;
/** A chip that does not fit whole may end in "…" only when it still shows this much text (about four letters). */
const MIN_TEXT = 30;

export interface TagFit {
  /** Chips shown whole, from the start of the list. */
  shown: number;
  /** The first chip does not fit whole and is drawn ellipsized (shown is then 1). */
  clipped: boolean;
}

/**
 * The chips that fit `room` px: as many whole ones as fit beside the "+N" of the rest; if not even one does, the
 * first one ellipsized when it keeps at least MIN_TEXT px of text, else none (the "+N" alone).
 */
export function fitTags(tags: string[], room: number, measure: (text: string) => number): TagFit {
  let used = 0;
  let shown = 0;
  for (const tag of tags) {
    const chip = Math.ceil(measure(tag)) + CHIP + (shown ? GAP : 0);
    const rest = tags.length - shown - 1;
    const more = rest ? GAP + Math.ceil(measure(`+${rest}`)) + MORE : 0;
    if (used + chip + more > room) break;
    used += chip;
    shown++;
  }
  if (shown || !tags.length) return { shown, clipped: false };
  const more = tags.length > 1 ? GAP + Math.ceil(measure(`+${tags.length - 1}`)) + MORE : 0;
  return room - more - CHIP >= MIN_TEXT ? { shown: 1, clipped: true } : { shown: 0, clipped: false };
}

let context: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();

/** The width of `text` in `font` (a CSS font shorthand), remembered. */
export function textWidth(text: string, font: string): number {
  const key = `${font}\n${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    context ??= document.createElement('canvas').getContext('2d');
    if (!context) return text.length * 8;
    context.font = font;
    width = context.measureText(text).width;
    if (widths.size > 5000) widths.clear();
    widths.set(key, width);
  }
  return width;
}

/**
 * Verified statuses as the public pages count them, in display order, with colours from the
 * Okabe-Ito colour-blind-safe palette. Each also has its own fill pattern, so no two statuses
 * differ by colour alone (and the legend and table name them in words).
 */
export const STATUS_KEYS = ['completed', 'in_progress', 'not_started', 'not_applicable', 'not_reported'] as const;
export type StatusKey = (typeof STATUS_KEYS)[number];

export interface StatusStyle {
  color: string;
  /** Colour of the pattern strokes drawn over the base colour. */
  ink: string;
  pattern: 'solid' | 'diagonal' | 'dots' | 'cross' | 'horizontal';
  /** Text colour that keeps 4.5:1 contrast on the base colour. */
  text: string;
}

export const STATUS_STYLES: Record<StatusKey, StatusStyle> = {
  completed: { color: '#007a5a', ink: '#007a5a', pattern: 'solid', text: '#ffffff' },
  in_progress: { color: '#56b4e9', ink: '#1f5f8b', pattern: 'diagonal', text: '#000000' },
  not_started: { color: '#e69f00', ink: '#7a4f00', pattern: 'dots', text: '#000000' },
  not_applicable: { color: '#d9d9d9', ink: '#666666', pattern: 'cross', text: '#000000' },
  not_reported: { color: '#ffffff', ink: '#b8450a', pattern: 'horizontal', text: '#000000' },
};

/** SVG <pattern> definition for one status, under the given id. */
export function patternDef(id: string, key: StatusKey): string {
  const s = STATUS_STYLES[key];
  const base = `<rect width="8" height="8" fill="${s.color}"/>`;
  let marks = '';
  switch (s.pattern) {
    case 'solid':
      break;
    case 'diagonal':
      marks = `<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="${s.ink}" stroke-width="1.5"/>`;
      break;
    case 'dots':
      marks = `<circle cx="2" cy="2" r="1.3" fill="${s.ink}"/><circle cx="6" cy="6" r="1.3" fill="${s.ink}"/>`;
      break;
    case 'cross':
      marks = `<path d="M0,0 l8,8 M8,0 l-8,8" stroke="${s.ink}" stroke-width="1"/>`;
      break;
    case 'horizontal':
      marks = `<path d="M0,2 h8 M0,6 h8" stroke="${s.ink}" stroke-width="1.2"/>`;
      break;
  }
  return `<pattern id="${id}" width="8" height="8" patternUnits="userSpaceOnUse">${base}${marks}</pattern>`;
}

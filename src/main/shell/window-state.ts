// Remembers the window's size, position and maximized state between launches (not secret, plain JSON).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(800).max(10000),
  height: z.number().int().min(600).max(10000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1366, height: 768, maximized: false };

export function loadWindowState(dataDir: string): WindowState {
  try {
    const raw: unknown = JSON.parse(fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'));
    const parsed = windowStateSchema.safeParse(raw);
    return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
}

export function saveWindowState(dataDir: string, state: WindowState): void {
  fs.writeFileSync(path.join(dataDir, 'window-state.json'), JSON.stringify(state));
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of the window's top edge must lie on a display for the user to grab and move it. */
const MIN_VISIBLE = { width: 200, height: 60 };

/**
 * The saved state, kept on screen: a position no display shows any more (a monitor was unplugged or moved) is
 * dropped so the window opens centered, and the size is shrunk to the work area of the display it opens on.
 */
export function fitToDisplays(state: WindowState, workAreas: Area[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return state;
  const grabbable = (area: Area, x: number, y: number) => {
    const overlapX = Math.min(x + state.width, area.x + area.width) - Math.max(x, area.x);
    const overlapY = Math.min(y + MIN_VISIBLE.height, area.y + area.height) - Math.max(y, area.y);
    return overlapX >= Math.min(MIN_VISIBLE.width, state.width) && overlapY >= MIN_VISIBLE.height / 2;
  };
  const { x, y } = state;
  const home = x !== undefined && y !== undefined ? workAreas.find((area) => grabbable(area, x, y)) : undefined;
  const area = home ?? primary;
  const size = {
    width: Math.max(800, Math.min(state.width, area.width)),
    height: Math.max(600, Math.min(state.height, area.height)),
    maximized: state.maximized,
  };
  return home ? { x, y, ...size } : size;
}

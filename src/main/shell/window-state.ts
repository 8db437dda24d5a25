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

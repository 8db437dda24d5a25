// Electron entry: the desktop app's lifecycle lives in lifecycle.ts (kept importable for its tests).
import { runDesktopApp } from './lifecycle';

runDesktopApp();

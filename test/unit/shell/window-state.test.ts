// Restored window bounds stay on a display that exists now.
import { describe, expect, it } from 'vitest';
import { fitToDisplays } from '../../../src/main/shell/window-state';

const laptop = { x: 0, y: 0, width: 1366, height: 728 };
const external = { x: 1366, y: 0, width: 1920, height: 1040 };

describe('fitToDisplays', () => {
  it('keeps a position that is on a display', () => {
    expect(fitToDisplays({ x: 1500, y: 100, width: 1200, height: 800, maximized: false }, [laptop, external])).toEqual({
      x: 1500,
      y: 100,
      width: 1200,
      height: 800,
      maximized: false,
    });
  });

  it('drops the position of an unplugged monitor and shrinks the size to the primary work area', () => {
    expect(fitToDisplays({ x: 1500, y: 100, width: 1800, height: 1000, maximized: true }, [laptop])).toEqual({
      width: 1366,
      height: 728,
      maximized: true,
    });
  });

  it('drops a position whose title bar is above every display', () => {
    expect(fitToDisplays({ x: 100, y: -500, width: 1000, height: 700, maximized: false }, [laptop])).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
});

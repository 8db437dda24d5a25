// Awaits a promise that must reject with a PlatformError and answers that error, so a test can inspect its kind.
import { expect } from 'vitest';
import { PlatformError } from '../../src/main/core/platform/types';

export async function caught(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(PlatformError);
    return error as PlatformError;
  }
  throw new Error('expected a PlatformError');
}

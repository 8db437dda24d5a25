// Maps a PlatformError onto the DeskApi's stable error codes, keeping the platform's code and requestId in details.
import { DeskError } from '../../../common/contract/errors';
import type { PlatformError } from './types';

export function deskErrorFromPlatform(error: PlatformError): DeskError {
  const details = {
    kind: error.kind,
    platformCode: error.code,
    platformSubCode: error.subCode,
    platformMessage: error.platformMessage,
    requestId: error.requestId,
    maybeApplied: error.maybeApplied,
  };
  switch (error.kind) {
    case 'auth_expired':
    case 'auth_revoked':
      return new DeskError('needs_reauthorization', error.message, details);
    case 'rate_limited':
    case 'quota_exhausted':
      return new DeskError('rate_limited', error.message, details);
    case 'transient':
      return new DeskError('platform_unavailable', error.message, details);
    case 'not_found':
      return new DeskError('not_found', error.message, details);
    case 'invalid_state':
      return new DeskError('invalid_state', error.message, details);
    case 'version_conflict':
      return new DeskError('conflict', error.message, details);
    default:
      return new DeskError('platform_rejected', error.message, details);
  }
}

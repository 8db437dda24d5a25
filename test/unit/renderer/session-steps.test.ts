// The session lifecycle's decisions: Ctrl+L forgets the operator's work, an ended session keeps it for the same operator.
import { describe, expect, it } from 'vitest';
import { sessionSteps } from '../../../src/renderer/src/app/session-steps';

describe('sessionSteps', () => {
  it('signing out on purpose forgets the work and goes to sign-in, dialogs not suspended', () => {
    expect(sessionSteps('signed_in', 'signed_out', '1', null)).toEqual({
      forgetWork: true,
      suspendDialogs: false,
      rememberScreen: false,
      toSignIn: true,
    });
  });

  it('a session ended under the desk keeps the work, suspends the dialogs and remembers the screen', () => {
    expect(sessionSteps('signed_in', 'ended', '1', null)).toEqual({
      forgetWork: false,
      suspendDialogs: true,
      rememberScreen: true,
      toSignIn: true,
    });
  });

  it('the same operator signing in again finds the work; someone else starts clean', () => {
    expect(sessionSteps('ended', 'signed_in', '1', '1')).toMatchObject({ forgetWork: false, suspendDialogs: false, toSignIn: false });
    expect(sessionSteps('ended', 'signed_in', '1', '2')).toMatchObject({ forgetWork: true, suspendDialogs: false, toSignIn: false });
  });

  it('the first sign-in of the run has nothing to forget', () => {
    expect(sessionSteps('signed_out', 'signed_in', null, '1').forgetWork).toBe(false);
    expect(sessionSteps('ended', 'signed_out', '1', null).forgetWork).toBe(false);
  });
});

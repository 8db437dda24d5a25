// The three states of the desk's operator session, named once for the session store and the session lifecycle.

/** Signed in; signed out (on purpose, or nobody yet); or ended under the desk with the work kept for later. */
export type SessionPhase = 'signed_in' | 'signed_out' | 'ended';

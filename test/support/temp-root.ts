// Global setup of the unit and e2e projects: every temporary folder made during the run (os.tmpdir(), in the test
// workers and in the processes they start) goes under one folder, removed when the run ends, so that test runs leave
// nothing behind in the machine's temporary directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'returndesk-run-'));
  // As open as /tmp itself: the embedded PostgreSQL runs as another user (postgres, when the tests run as root).
  fs.chmodSync(root, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root; // read by os.tmpdir() on every call, and passed on to the workers
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(root, { recursive: true, force: true });
  };
}

// Decides where a finished scan goes: the dialog that expects a waybill, a hold queue while another dialog is
// open (handled after it closes, never lost), the desk, or nowhere when nobody is signed in. No DOM.
export interface Scan {
  text: string;
  source: 'scanner' | 'manual';
  at: number;
}

export interface ScanTarget {
  /** Dialogs that expect a waybill take a scan into their number field. */
  takesScan?: (scan: Scan) => void;
}

export interface RouteState {
  signedIn: boolean;
  /** Open dialogs, bottom to top. */
  dialogs: readonly ScanTarget[];
}

export type Route = 'dialog' | 'held' | 'desk' | 'dropped';

export class ScanRouter {
  private readonly held: Scan[] = [];

  constructor(
    private readonly state: () => RouteState,
    private readonly desk: (scan: Scan) => Promise<void> | void,
    private readonly maxHeld = 20,
  ) {}

  get heldCount(): number {
    return this.held.length;
  }

  route(scan: Scan): Route {
    const { signedIn, dialogs } = this.state();
    if (!signedIn) return 'dropped';
    const top = dialogs.at(-1);
    if (top?.takesScan) {
      top.takesScan(scan);
      return 'dialog';
    }
    if (dialogs.length > 0 || this.held.length > 0) {
      if (this.held.length >= this.maxHeld) this.held.shift();
      this.held.push(scan);
      return 'held';
    }
    void this.desk(scan);
    return 'desk';
  }

  /** Puts a scan the desk could not handle (the session ended under it) back first in line, to run after sign-in. */
  holdAgain(scan: Scan): void {
    this.held.unshift(scan);
    if (this.held.length > this.maxHeld) this.held.pop();
  }

  /** Call when a dialog closed: hands held scans to the desk one by one while no dialog is open. */
  async drain(): Promise<number> {
    let handled = 0;
    while (this.held.length > 0) {
      const { signedIn, dialogs } = this.state();
      if (!signedIn || dialogs.length > 0) break;
      const next = this.held.shift()!;
      handled++;
      await this.desk(next);
    }
    return handled;
  }
}

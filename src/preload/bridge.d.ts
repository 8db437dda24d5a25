// The shape of window.returnDesk as the preload exposes it; the renderer's IPC transport reads this.
export interface DeskBridge {
  call(method: string, input: unknown): Promise<unknown>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  eventNames: string[];
}

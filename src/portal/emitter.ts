// A minimal change event, so the pure layer needs nothing from vscode.

export interface Subscription {
  dispose(): void;
}

export class Emitter {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  readonly event = (listener: () => void): Subscription => {
    // Wrapped so the same function may subscribe twice and unsubscribe independently.
    const entry = (): void => listener();
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  fire(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

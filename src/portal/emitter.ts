// A minimal change event, so the pure layer needs nothing from vscode.

export interface Subscription {
  dispose(): void;
}

export class Emitter<T = void> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  readonly event = (listener: (value: T) => void): Subscription => {
    // Wrapped so the same function may subscribe twice and unsubscribe independently.
    const entry = (value: T): void => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError?.(error);
      }
    }
  }
}

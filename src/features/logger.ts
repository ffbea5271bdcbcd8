import * as vscode from 'vscode';

/** Removes anything that looks like a portal token before it reaches the log. */
export function redactSecrets(message: string): string {
  return message
    .replace(/([?&]token=)[^&\s"']+/gi, '$1***')
    .replace(/("?(?:service-token|token)"?\s*[:=]\s*"?)[^"\s,&}]+/gi, '$1***');
}

/** The extension's log, shown by the Show Log command. */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string): void {
    this.channel.info(redactSecrets(message));
  }

  warn(message: string): void {
    this.channel.warn(redactSecrets(message));
  }

  error(message: string | Error): void {
    const text = message instanceof Error ? message.message : message;
    this.channel.error(redactSecrets(text));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

import * as vscode from 'vscode';
import { redactSecrets } from '../../portal/errors';

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

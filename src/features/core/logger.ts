import * as vscode from 'vscode';
import { redactSecrets } from '../../portal/errors';

/** The extension's log, shown by the Show Log command. */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  /** Detail for diagnosing (each request): hidden unless the user raises the log level. */
  debug(message: string): void {
    this.channel.debug(redactSecrets(message));
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

/** How long requests are counted before their one summary line. */
const SUMMARY_MS = 60_000;

/**
 * Requests to the portal: each at the debug level, and one summary a minute at info, so
 * the log reads as what happened rather than hundreds of `GET …/full` lines burying a
 * warning. Quiet minutes write nothing and keep no timer.
 */
export class RequestLog implements vscode.Disposable {
  private count = 0;
  private failed = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly logger: Logger) {}

  add(message: string): void {
    this.logger.debug(message);
    this.count++;
    // The status follows the arrow: "GET … → 200 in 12 ms"; 304 is an answer too.
    const status = Number(/→ (\d{3})\b/.exec(message)?.[1] ?? 0);
    if (status >= 400 || status === 0) this.failed++;
    this.timer ??= setTimeout(() => this.summarise(), SUMMARY_MS);
  }

  private summarise(): void {
    this.timer = undefined;
    if (this.count === 0) return;
    this.logger.info(
      `${this.count} request(s) to the Mod Portal in the last minute` +
        (this.failed > 0 ? `, ${this.failed} not answered with data` : '') +
        ' (each one at the Debug log level)',
    );
    this.count = 0;
    this.failed = 0;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.summarise();
  }
}

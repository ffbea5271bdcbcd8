import type { Page } from 'playwright-core';

/** What a UI check gets: a fresh page on a running code-server with the vsix installed. */
export interface UiCheckContext {
  page: Page;
  baseUrl: string;
  /** Absolute path of the temp copy of test/fixtures/workspace the server can see. */
  workspaceDir: string;
  /**
   * The settings.json of this machine (code-server is a remote: machine-scoped settings
   * such as the mods folder are read from it, not from the browser user's settings).
   */
  machineSettingsFile: string;
  /** Base URL of the local portal (its /__control/ endpoints set faults). */
  portalUrl: string;
  /** Saves a PNG of the page under test-results/ and returns its path. */
  screenshot(name: string): Promise<string>;
}

/** A check that drives the workbench like a user; it throws to fail. */
export interface UiCheck {
  name: string;
  /** Defaults to 90 s. */
  timeoutMs?: number;
  run(ctx: UiCheckContext): Promise<void>;
}

// Integration-test entry (the contract @vscode/test-electron uses): filled in by the harness.
export async function run(): Promise<void> {}

// The VS Code client: starts `tiaoli lsp` for the workspace's policy directory and hands it the
// Tiaoli files and the policy tests beside them. Everything the editor shows comes from the server.
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const settings = workspace.getConfiguration('tiaoli');
  // `tiaoli` from the workspace's own install when there is one, else from PATH; the setting wins.
  const command = settings.get<string>('server.path') || 'tiaoli';
  const policies = settings.get<string>('policies');
  const server = { command, args: ['lsp', ...(policies ? [policies] : [])], transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } };
  const serverOptions: ServerOptions = { run: server, debug: server };
  client = new LanguageClient('tiaoli', 'Tiaoli 条例', serverOptions, {
    documentSelector: [
      { scheme: 'file', language: 'tiaoli' },
      { scheme: 'file', pattern: '**/*.test.yaml' },
      { scheme: 'file', pattern: '**/fixtures.yaml' },
    ],
    // Files changed outside the editor (a checkout, a generator) are read again.
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/*.{tiaoli,yaml}') },
  });
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

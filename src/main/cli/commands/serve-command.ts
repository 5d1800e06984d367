import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { CliError, parseIntOption } from '../cli-error';
import { AppContext } from '../../api/app-context';
import { ApiService } from '../../api/api-service';
import { startWebHost } from '../../server/web-host';
import { ProjectError } from '../../project/open-project';
import { rendererDir } from '../../server/renderer-dir';
import { ensureSampleProject } from '../../sample/sample-project';

export interface ServeOptions {
  port?: number;
  open?: boolean;
}

export async function serveProject(path: string | null, o: ServeOptions): Promise<void> {
  const ctx = new AppContext('web');
  if (!path) {
    const sample = await ensureSampleProject();
    if (sample.created) console.log(`created the sample project ${sample.path} from generated smears of all eight difficulty classes`);
    path = sample.path;
  }
  if (path) {
    try {
      ctx.open(path);
    } catch (err) {
      throw new CliError(err instanceof ProjectError ? err.message : (err as Error).message);
    }
  }
  if (!rendererDir()) console.warn('warning: the renderer is not built (run `npm run build`); only the API is served');
  const service = new ApiService(ctx);
  const host = await startWebHost(service, { port: o.port });
  console.log(`HemaSeg is serving ${path ?? '(no project)'} at`);
  console.log(`  ${host.url}`);
  console.log('Only this machine can connect, and only with the token in the URL (the page then keeps it out of the address bar). Ctrl+C stops.');
  if (o.open && process.env.DISPLAY) {
    const child = spawn('xdg-open', [host.url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  }
  const stop = async (): Promise<void> => {
    await host.close();
    ctx.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the HemaSeg UI and API on 127.0.0.1 for a browser')
    .argument('[project]', 'project file to open (default: the sample project)')
    .option('--port <n>', 'port; 0 (the default) picks a free one and prints it', parseIntOption('port', 0, 65535))
    .option('--open', 'open a browser', false)
    .action((path: string | undefined, o: ServeOptions) => serveProject(path ?? null, o));
}

// The one client the views use. Views import from here so tests of pure modules never
// load a transport.
export { api } from '../api/client';

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

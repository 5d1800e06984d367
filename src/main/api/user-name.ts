import { userInfo } from 'node:os';

export function userName(): string {
  try {
    return process.env.HEMASEG_USER ?? userInfo().username;
  } catch {
    return 'user';
  }
}

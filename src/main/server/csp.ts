/** Same policy for the desktop window and the web host: only our own scripts, images and sockets. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: hemaseg-media:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; worker-src 'self' blob:";

// A throwaway nginx for the server benchmark: serves the same dist/ on a loopback port from a
// generated config in a temp dir, answering POST / with index.html like our server does.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORTAL_ORIGINS } from '../../src/server/config.ts';
import { securityHeaders } from '../../src/server/http/security-headers.ts';
import { freePort, startChild, waitForHttp, type Child } from './child.ts';

export const NGINX_BIN = '/usr/sbin/nginx';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface NginxConfigOptions {
  port: number;
  distDir: string;
  /** Holds the pid file and nginx's temp paths. */
  dir: string;
  /** The master runs as root: name a user for the workers (nginx's built-in default group may not exist). */
  asRoot: boolean;
}

/** One worker process, like our single Node process; gzip and cache headers as our server sends them. */
export function nginxConfig({ port, distDir, dir, asRoot }: NginxConfigOptions): string {
  const headers = (cacheControl: string): string =>
    [...securityHeaders({ portalOrigins: DEFAULT_PORTAL_ORIGINS }), ['Cache-Control', cacheControl]]
      .map(([name, value]) => `      add_header ${name} "${value}" always;`)
      .join('\n');
  return `daemon off;
${asRoot ? 'user root root;\n' : ''}worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  types { text/html html; application/javascript js mjs; text/css css; image/svg+xml svg; application/json json; }
  default_type application/octet-stream;
  charset utf-8;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 5s;
  keepalive_requests 1000000;
  client_max_body_size 64k;
  gzip on;
  gzip_static on;
  gzip_vary on;
  gzip_types text/css application/javascript application/json image/svg+xml;
  server {
    listen 127.0.0.1:${port};
    root "${distDir}";
    # The portal POSTs its form to the page: the static module refuses POST with 405, which is
    # turned into the page itself.
    location = / {
      error_page 405 =200 $uri;
      try_files /index.html =404;
${headers('no-cache')}
    }
    location /assets/ {
${headers(IMMUTABLE)}
    }
    location / {
${headers('no-cache')}
    }
  }
}
`;
}

export interface RunningNginx {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground; stop() ends it and removes its temp dir. */
export async function startNginx(distDir: string): Promise<RunningNginx> {
  if (!existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} not found`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const port = await freePort();
  const config = join(dir, 'nginx.conf');
  writeFileSync(config, nginxConfig({ port, distDir, dir, asRoot: process.getuid?.() === 0 }));
  const child = startChild('nginx', NGINX_BIN, ['-p', dir, '-c', config, '-e', 'stderr']);
  const stop = async (): Promise<void> => {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, child, stop };
}

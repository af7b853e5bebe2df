// The built site's other files (assets, robots.txt, the monitor page), served by sirv. A request is
// answered only with a file whose real path lies inside the site: a link out of dist/ (to a file, a
// directory, or as a .br/.gz copy) is a 404, as is anything deleted since start.
import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, posix, sep } from 'node:path';
import sirv from 'sirv';
import { sendText } from './http-io.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

export type StaticHandler = (req: IncomingMessage, res: ServerResponse, path: string) => void;

/** The real path of `file` when it exists and lies inside `root` (itself a real path), else null. */
export function realPathInside(root: string, file: string): string | null {
  try {
    const real = realpathSync.native(file);
    return real === root || real.startsWith(root + sep) ? real : null;
  } catch {
    return null;
  }
}

export function createStaticFiles(distDir: string): StaticHandler {
  const root = realpathSync.native(distDir);
  // No guessing of extensions: sirv sends the file named, or its .br/.gz copy, both checked below.
  const statics = sirv(root, { etag: true, brotli: true, gzip: true, dotfiles: false, extensions: [] });
  const notFound = (res: ServerResponse): void => sendText(res, 404, 'Not found.');

  return (req, res, path) => {
    const target = resolveTarget(root, safeDecode(path));
    if (target === null) return notFound(res);
    if (target.rewritten) req.url = encodeURI(target.path);
    res.setHeader('Cache-Control', target.path.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
    statics(req, res, () => {
      res.removeHeader('Cache-Control');
      notFound(res);
    });
  };
}

/** The file a path names (a directory's index.html), or null when it is missing or leads out of `root`. */
function resolveTarget(root: string, path: string): { path: string; rewritten: boolean } | null {
  let file = join(root, path);
  let served = path;
  if (statOrNull(file)?.isDirectory()) {
    file = join(file, 'index.html');
    served = posix.join(path, 'index.html');
  }
  if (!statOrNull(file)?.isFile()) return null;
  for (const copy of [file, `${file}.br`, `${file}.gz`]) {
    if (copy !== file && !existsSync(copy)) continue;
    if (realPathInside(root, copy) === null) return null;
  }
  return { path: served, rewritten: served !== path };
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

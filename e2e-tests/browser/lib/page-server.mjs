// A tiny static HTTP server for browser tests: serves the test page and the official browser SDK
// bundle straight from node_modules, on 127.0.0.1 with a free port. The page's origin
// (http://127.0.0.1:<port>) is what the client API's CORS configuration must allow.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Absolute path of a file inside an installed package. */
function packageFile(name, file) {
  return join(dirname(require.resolve(`${name}/package.json`)), file);
}

const ROUTES = {
  "/": { file: join(here, "../page/index.html"), type: "text/html; charset=utf-8" },
  // Where the hosted page's redirect mode sends the browser back (a track's redirectUrl).
  "/done": { file: join(here, "../page/done.html"), type: "text/html; charset=utf-8" },
  // The IIFE build: defines window.authsignal with the Authsignal class, no bundler needed.
  "/authsignal-browser.js": {
    file: packageFile("@authsignal/browser", "dist/index.min.js"),
    type: "text/javascript; charset=utf-8",
  },
};

/** Starts the server; resolves to { port, origin, url(path, host), close }. */
export async function startPageServer() {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    if (path === "/favicon.ico") {
      response.writeHead(204).end();
      return;
    }
    const route = ROUTES[path];
    if (request.method !== "GET" || !route) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    try {
      const body = await readFile(route.file);
      response.writeHead(200, { "Content-Type": route.type, "Cache-Control": "no-store" }).end(body);
    } catch (error) {
      response.writeHead(500, { "Content-Type": "text/plain" }).end(String(error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    /** The page URL; host "localhost" gives the same page under another origin. */
    url(path = "/", host = "127.0.0.1") {
      return `http://${host}:${port}${path}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

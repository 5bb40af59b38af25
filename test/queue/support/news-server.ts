import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/** What a test route answers, per hit (1-based). */
export type Route = (hit: number, request: IncomingMessage) => Answer | Promise<Answer>;

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait before answering, to keep a request in flight. */
  delayMs?: number;
}

export interface Hit {
  path: string;
  startedAt: number;
  endedAt: number;
}

/** A local news site on 127.0.0.1 for queue tests: routes per path, every hit recorded. */
export interface NewsServer {
  origin: string;
  host: string;
  route(path: string, route: Route): void;
  /** robots.txt text (404 until set); its requests are counted apart from the hits. */
  robots(text: string): void;
  robotsRequests(): number;
  hits(path?: string): Hit[];
  /** Most requests in flight at once. */
  maxInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

export function articleHtml(title: string, body = "The story goes on at some length."): string {
  const paragraphs = Array.from(
    { length: 6 },
    (_, i) => `<p>${body} Paragraph ${i + 1} adds detail.</p>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>${paragraphs}</article></body></html>`;
}

export async function startNewsServer(): Promise<NewsServer> {
  const routes = new Map<string, Route>();
  const counts = new Map<string, number>();
  let hits: Hit[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let robotsText: string | null = null;
  let robotsRequests = 0;

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (path === "/robots.txt") {
      robotsRequests++;
      if (robotsText === null) response.writeHead(404).end();
      else response.writeHead(200, { "content-type": "text/plain" }).end(robotsText);
      return;
    }
    const startedAt = Date.now();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    const route = routes.get(path);
    const answer: Answer = route ? await route(hit, request) : { status: 404, body: "not found" };
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    response.writeHead(answer.status ?? 200, {
      "content-type": "text/html; charset=utf-8",
      ...answer.headers,
    });
    response.end(answer.body ?? "");
    inFlight--;
    hits.push({ path, startedAt, endedAt: Date.now() });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    route: (path, route) => routes.set(path, route),
    robots(text) {
      robotsText = text;
    },
    robotsRequests: () => robotsRequests,
    hits: (path) => (path === undefined ? [...hits] : hits.filter((hit) => hit.path === path)),
    maxInFlight: () => maxInFlight,
    reset() {
      routes.clear();
      counts.clear();
      hits = [];
      maxInFlight = 0;
      robotsText = null;
      robotsRequests = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

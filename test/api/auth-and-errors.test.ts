import { afterEach, describe, expect, it } from "vitest";
import { hashApiToken, loadConfig } from "../../src/config.js";
import { bearer, READ_TOKEN, startTestApi, type TestApi, WRITE_TOKEN } from "./support.js";

let api: TestApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

function refetch(
  app: TestApi["app"],
  headers: Record<string, string>,
  payload: unknown = { url: "https://example.com/a" },
) {
  return app.inject({ method: "POST", url: "/v1/refetch", headers, payload: payload as object });
}

describe("tokens", () => {
  it("accepts sha256 digests in config and hashes plain tokens at load", () => {
    const config = loadConfig({
      COPYDESK_API_TOKENS: `sha256:${hashApiToken("stored-as-digest-0123456789")},plain-token-0123456789abc`,
    });
    expect(config.apiTokenHashes).toEqual([
      hashApiToken("stored-as-digest-0123456789"),
      hashApiToken("plain-token-0123456789abc"),
    ]);
    expect(JSON.stringify(config)).not.toContain("plain-token-0123456789abc");
    expect(() => loadConfig({ COPYDESK_API_TOKENS: "short" })).toThrow(/at least 16/);
    expect(() => loadConfig({ COPYDESK_API_TOKENS: "sha256:abc" })).toThrow(/64 hex/);
  });

  it("re-fetch needs a write token: 401 without, 403 for a read token, 202 with one", async () => {
    api = await startTestApi({ COPYDESK_API_READ_TOKENS: READ_TOKEN });
    const none = await refetch(api.app, {});
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(none.json()).toMatchObject({ code: "API_UNAUTHORIZED", statusCode: 401 });

    const wrong = await refetch(api.app, bearer("not-a-configured-token-at-all"));
    expect(wrong.statusCode).toBe(401);

    const reader = await refetch(api.app, bearer(READ_TOKEN));
    expect(reader.statusCode).toBe(403);
    expect(reader.json()).toMatchObject({ code: "API_FORBIDDEN", message: "this token may only read" });

    const writer = await refetch(api.app, bearer(WRITE_TOKEN));
    expect(writer.statusCode).toBe(202);
  });

  it("refuses re-fetches with 403 when no write token is configured", async () => {
    api = await startTestApi({ COPYDESK_API_TOKENS: "" });
    const response = await refetch(api.app, {});
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toMatch(/COPYDESK_API_TOKENS/);
  });

  it("leaves reads open by default and protects them when configured", async () => {
    api = await startTestApi();
    expect((await api.app.inject("/v1/articles")).statusCode).toBe(200);
    // A token that matches nothing is refused even where none is needed.
    const bad = await api.app.inject({ url: "/v1/articles", headers: bearer("a-token-nobody-configured") });
    expect(bad.statusCode).toBe(401);
    await api.close();

    api = await startTestApi({ COPYDESK_API_READ_TOKENS: READ_TOKEN });
    expect((await api.app.inject("/v1/articles")).statusCode).toBe(401);
    expect((await api.app.inject("/metrics")).statusCode).toBe(401);
    expect((await api.app.inject({ url: "/v1/articles", headers: bearer(READ_TOKEN) })).statusCode).toBe(200);
    expect((await api.app.inject({ url: "/v1/articles", headers: bearer(WRITE_TOKEN) })).statusCode).toBe(
      200,
    );
    // Probes, the reader page and the API description stay reachable.
    expect((await api.app.inject("/healthz")).statusCode).toBe(200);
    expect((await api.app.inject("/")).statusCode).toBe(200);
    expect((await api.app.inject("/docs/json")).statusCode).toBe(200);
  });

  it("accepts the token as the password of Basic credentials (how browsers send it)", async () => {
    api = await startTestApi({ COPYDESK_API_AUTH_READS: "true" });
    const basic = `Basic ${Buffer.from(`anyone:${WRITE_TOKEN}`).toString("base64")}`;
    expect(
      (await api.app.inject({ url: "/v1/articles", headers: { authorization: basic } })).statusCode,
    ).toBe(200);
  });
});

describe("rate limits", () => {
  it("limits per token and answers 429 with Retry-After and the JSON error", async () => {
    api = await startTestApi({ COPYDESK_API_RATE_LIMIT: "3" });
    for (let i = 0; i < 3; i++) expect((await api.app.inject("/v1/articles")).statusCode).toBe(200);
    const limited = await api.app.inject("/v1/articles");
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ code: "API_RATE_LIMITED", action: "retry", statusCode: 429 });
    // Another token has its own budget.
    expect((await api.app.inject({ url: "/v1/articles", headers: bearer(WRITE_TOKEN) })).statusCode).toBe(
      200,
    );
    // Probes are never limited.
    expect((await api.app.inject("/healthz")).statusCode).toBe(200);
  });

  it("gives re-fetches a tenth of the budget", async () => {
    api = await startTestApi({ COPYDESK_API_RATE_LIMIT: "20" });
    const auth = bearer(WRITE_TOKEN);
    expect((await refetch(api.app, auth)).statusCode).toBe(202);
    expect((await refetch(api.app, auth)).statusCode).toBe(202);
    const limited = await refetch(api.app, auth);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe("API_RATE_LIMITED");
    expect((await api.app.inject({ url: "/v1/articles", headers: auth })).statusCode).toBe(200);
  });
});

describe("malformed requests", () => {
  it("answers bad bodies with clear 4xx JSON errors and never a stack trace", async () => {
    api = await startTestApi();
    const auth = bearer(WRITE_TOKEN);
    const cases: [string, Awaited<ReturnType<typeof refetch>>, number, string][] = [
      [
        "not JSON",
        await api.app.inject({
          method: "POST",
          url: "/v1/refetch",
          headers: { ...auth, "content-type": "application/json" },
          payload: "{not json",
        }),
        400,
        "INPUT_UNREADABLE",
      ],
      [
        "empty",
        await api.app.inject({
          method: "POST",
          url: "/v1/refetch",
          headers: { ...auth, "content-type": "application/json" },
          payload: "",
        }),
        400,
        "INPUT_INVALID",
      ],
      ["no url", await refetch(api.app, auth, { force: true }), 400, "INPUT_INVALID"],
      ["ftp url", await refetch(api.app, auth, { url: "ftp://example.com/x" }), 400, "INPUT_INVALID"],
      [
        "extra field",
        await refetch(api.app, auth, { url: "https://example.com/", priority: 1 }),
        400,
        "INPUT_INVALID",
      ],
      [
        "wrong type",
        await refetch(api.app, auth, { url: "https://example.com/", force: "yes" }),
        400,
        "INPUT_INVALID",
      ],
      [
        "form body",
        await api.app.inject({
          method: "POST",
          url: "/v1/refetch",
          headers: { ...auth, "content-type": "text/plain" },
          payload: "url=https://example.com/",
        }),
        415,
        "API_UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "oversized",
        await refetch(api.app, auth, { url: `https://example.com/${"a".repeat(20_000)}` }),
        413,
        "API_BODY_TOO_LARGE",
      ],
    ];
    for (const [name, response, status, code] of cases) {
      expect(response.statusCode, name).toBe(status);
      expect(response.headers["content-type"], name).toMatch(/^application\/json/);
      const body = response.json();
      expect(body, name).toMatchObject({ statusCode: status, code });
      expect(typeof body.message, name).toBe("string");
      expect(response.body, name).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(body.stack, name).toBeUndefined();
    }
  });

  it("hides internal failures behind a generic 500", async () => {
    api = await startTestApi();
    api.store.getArticle = async () => {
      throw new Error("SQLITE_CORRUPT: secret /var/lib/path details");
    };
    const response = await api.app.inject("/v1/articles/art_123");
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      statusCode: 500,
      code: "API_INTERNAL",
      message: "internal error",
      action: "retry",
    });
  });

  it("serves no CORS headers unless origins are configured", async () => {
    api = await startTestApi();
    const plain = await api.app.inject({ url: "/v1/articles", headers: { origin: "https://evil.example" } });
    expect(plain.headers["access-control-allow-origin"]).toBeUndefined();
    await api.close();

    api = await startTestApi({ COPYDESK_API_CORS_ORIGINS: "https://app.example" });
    const allowed = await api.app.inject({ url: "/v1/articles", headers: { origin: "https://app.example" } });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example");
    const other = await api.app.inject({ url: "/v1/articles", headers: { origin: "https://evil.example" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await api.app.inject({
      method: "OPTIONS",
      url: "/v1/refetch",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers["access-control-allow-headers"]).toMatch(/Authorization/);
  });
});

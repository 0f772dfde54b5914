/**
 * `quantlens stats hf:org/name` end to end against a local server in the Hub's URL layout:
 * the same numbers as the local folder, streamed by Range, each byte fetched about once.
 */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { startHubServer, type RangeServer } from "../helpers/range-server.ts";

/** Header probes and small metadata files on top of the tensor bytes. */
const MAX_OVERFETCH = 1.1;

let server: RangeServer | undefined;
afterEach(async () => {
  delete process.env.QUANTLENS_HF_ENDPOINT;
  await server?.close();
});

it("stats(hf:org/name) streams the Hub layout by Range and prints the local folder's statistics", async (ctx) => {
  const weights = await fixture("models/stories260K-hf/model.safetensors");
  if (!weights) return ctx.skip();
  server = await startHubServer(dirname(weights));
  process.env.QUANTLENS_HF_ENDPOINT = server.endpoint;

  const remote = captureEffects();
  expect(await main(["stats", "hf:karpathy/stories260K@main", "--json"], remote), remote.stderr()).toBe(0);
  const local = captureEffects();
  expect(await main(["stats", dirname(weights), "--json"], local)).toBe(0);
  expect(JSON.parse(remote.stdout())).toEqual(JSON.parse(local.stdout()));

  expect(server.stats.ranges.some((r) => r !== null)).toBe(true);
  expect(server.stats.bytes).toBeLessThan(MAX_OVERFETCH * statSync(weights).size + 4096);
});

/** `quantlens recommend hf:org/name` reads the model's headers only: a fraction of the weights' bytes crosses the wire. */
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, expect, it } from "vitest";
import { main } from "../../lib/cli/main.ts";
import { captureEffects } from "../helpers/capture.ts";
import { fixture } from "../helpers/fixtures.ts";
import { startHubServer, type RangeServer } from "../helpers/range-server.ts";

/** header, config.json and probes: well under a tenth of the 1 MB safetensors file */
const MAX_HEADER_SHARE = 0.1;

let server: RangeServer | undefined;
afterEach(async () => {
  delete process.env.QUANTLENS_HF_ENDPOINT;
  await server?.close();
});

it("recommend(hf:org/name) takes size and context from the streamed headers without reading the weights", async (ctx) => {
  const weights = await fixture("models/stories260K-hf/model.safetensors");
  if (!weights) return ctx.skip();
  server = await startHubServer(dirname(weights));
  process.env.QUANTLENS_HF_ENDPOINT = server.endpoint;

  const fx = captureEffects();
  expect(await main(["recommend", "hf:karpathy/stories260K", "--task", "basic_nlp", "--json"], fx), fx.stderr()).toBe(0);
  const r = JSON.parse(fx.stdout());
  expect(r.inputs).toMatchObject({ model: "hf:karpathy/stories260K", shape: "from the model file", task: "basic_nlp" });
  expect(r.inputs.params_b).toBeGreaterThan(0.0002);
  expect(r.inputs.params_b).toBeLessThan(0.0003);
  expect(server.stats.bytes).toBeLessThan(MAX_HEADER_SHARE * statSync(weights).size);
}, 120_000);

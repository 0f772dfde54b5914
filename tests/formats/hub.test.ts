import { describe, expect, it } from "vitest";
import { FormatError } from "../../lib/formats/errors.ts";
import { DEFAULT_HF_ENDPOINT, hubFileUrl, parseHfSpec, parseHubUrl } from "../../lib/formats/hub.ts";

describe("hub", () => {
  it("parseHfSpec(hf:org/name) defaults the revision to main and the endpoint to the public Hub", () => {
    const ref = parseHfSpec("hf:karpathy/tinyllamas", { endpoint: DEFAULT_HF_ENDPOINT })!;
    expect(ref).toEqual({ endpoint: "https://huggingface.co", org: "karpathy", name: "tinyllamas", revision: "main" });
    expect(hubFileUrl(ref, "stories260K/stories260K.bin"))
      .toBe("https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/stories260K.bin");
  });

  it("parseHfSpec(hf:org/name@rev/file) keeps revision and file; refs/pr/N is a revision", () => {
    expect(parseHfSpec("hf:ggml-org/models@v1.0/tinyllamas/stories260K.gguf", { endpoint: "http://x" }))
      .toMatchObject({ revision: "v1.0", file: "tinyllamas/stories260K.gguf", endpoint: "http://x" });
    const pr = parseHfSpec("hf:org/name@refs/pr/3/model.gguf", { endpoint: "http://x" })!;
    expect(pr).toMatchObject({ revision: "refs/pr/3", file: "model.gguf" });
    expect(hubFileUrl(pr, pr.file!)).toBe("http://x/org/name/resolve/refs%2Fpr%2F3/model.gguf");
  });

  it("parseHfSpec(spec) returns null for non-hf specs and names the bad part of a bad one", () => {
    expect(parseHfSpec("./model.gguf")).toBeNull();
    expect(() => parseHfSpec("hf:just-a-name")).toThrow(FormatError);
    expect(() => parseHfSpec("hf:org/na me")).toThrow(/hf:org\/na me: repository name: "na me" is not a valid Hub repository name/);
    expect(() => parseHfSpec("hf:org/name@bad rev")).toThrow(/revision/);
    expect(() => parseHfSpec("hf:org/name/../../secret")).toThrow(/file path/);
    expect(() => parseHfSpec("hf:.hidden/name")).toThrow(/organisation/);
  });

  it("parseHubUrl(url) reads repo, tree, blob and resolve URLs on any host", () => {
    expect(parseHubUrl("https://huggingface.co/org/name")).toMatchObject({ endpoint: "https://huggingface.co", revision: "main" });
    expect(parseHubUrl("https://huggingface.co/org/name/tree/dev")).toMatchObject({ revision: "dev" });
    expect(parseHubUrl("http://127.0.0.1:9/org/name/blob/main/a/b.gguf"))
      .toMatchObject({ endpoint: "http://127.0.0.1:9", org: "org", name: "name", file: "a/b.gguf" });
    expect(parseHubUrl("https://example.com/x/y/z/w")).toBeNull();
    expect(parseHubUrl("not a url")).toBeNull();
  });
});

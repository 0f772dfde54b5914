/**
 * The demo's model file and evaluation text of data/demo/, served from this app (same origin, works
 * offline): /data/demo/stories260K.gguf and /data/demo/tinystories_valid_excerpt.txt, prerendered at
 * build time. The model is read whole (1.2 MB): lib/formats/source-http.ts reads a server that
 * answers a Range request with the whole file once.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_SERVED_FILES } from "@/lib/demo/files.ts";

export const dynamic = "force-static";
export const dynamicParams = false;

export function generateStaticParams() {
  return DEMO_SERVED_FILES.map((f) => ({ file: f.file }));
}

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const served = DEMO_SERVED_FILES.find((f) => f.file === file);
  if (!served) return new Response("not found", { status: 404 });
  const bytes = await readFile(join(process.cwd(), "data/demo", served.file));
  return new Response(new Uint8Array(bytes), { headers: { "content-type": served.type, "cache-control": "public, max-age=3600" } });
}

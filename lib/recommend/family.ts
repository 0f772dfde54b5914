/** The evidence family of a model, from what its headers say (architecture, name, file name). */

/** Name patterns -> Qllm-Eval / LLaMA3-study family names; first match wins (Mixtral before Mistral, Vicuna before LLaMA). */
const FAMILY_PATTERNS: Array<[RegExp, string]> = [
  [/mixtral/i, "Mixtral"], [/mistral/i, "Mistral"], [/vicuna/i, "Vicuna"], [/longchat/i, "LongChat"],
  [/llama[-_ ]?3/i, "LLaMA3"], [/llama[-_ ]?2/i, "LLaMA2"], [/falcon/i, "Falcon"], [/bloomz/i, "Bloomz"], [/bloom/i, "Bloom"],
  [/chatglm[-_ ]?3/i, "ChatGLM3"], [/chatglm[-_ ]?2/i, "ChatGLM2"], [/gemma/i, "Gemma"], [/stablelm/i, "StableLM"],
  [/mamba/i, "Mamba"], [/(^|[^a-z])opt[-_]/i, "OPT"],
];

/** The first family whose pattern matches any of `names`, else null (plain "llama" names no family). */
export function familyOf(...names: Array<string | null | undefined>): string | null {
  for (const [re, family] of FAMILY_PATTERNS) if (names.some((n) => n && re.test(n))) return family;
  return null;
}

/** The family as the user typed it, spelled as the evidence spells it (case-insensitive), else as typed. */
export function normalizeFamily(family: string, known: string[]): string {
  return known.find((k) => k.toLowerCase() === family.toLowerCase()) ?? family;
}

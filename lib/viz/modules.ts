/** Module kinds (lib/formats/names.ts ModuleKind) in the order panels list them: forward-pass order. */
export const MODULE_ORDER_ALL = ["embed", "q", "k", "v", "o", "gate", "up", "down", "norm", "lm_head", "other"] as const;

/** What each module kind is, for legends and tooltips. */
export const MODULE_LABEL: Record<string, string> = {
  embed: "token embedding", q: "attention query", k: "attention key", v: "attention value", o: "attention output",
  gate: "MLP gate", up: "MLP up", down: "MLP down", norm: "RMSNorm", lm_head: "output head", other: "other",
};

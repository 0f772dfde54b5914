/** Module kinds (lib/formats/names.ts ModuleKind) in the order panels list them: forward-pass order. */
export const MODULE_ORDER_ALL = ["embed", "pos_embed", "q", "k", "v", "qkv", "q_norm", "k_norm", "o", "router", "gate", "up", "gate_up", "down", "fc1", "fc2", "norm", "lm_head", "other"] as const;

/** What each module kind is, for legends and tooltips. */
export const MODULE_LABEL: Record<string, string> = {
  embed: "token embedding", q: "attention query", k: "attention key", v: "attention value", o: "attention output",
  gate: "MLP gate (MoE: every expert's w1)", up: "MLP up (MoE: w3)", down: "MLP down (MoE: w2)", norm: "norm (RMSNorm or LayerNorm)",
  lm_head: "output head", other: "other", pos_embed: "learned position embedding", qkv: "fused attention q/k/v",
  q_norm: "per-head query norm", k_norm: "per-head key norm", router: "MoE router", gate_up: "fused MLP gate/up",
  fc1: "MLP fc1", fc2: "MLP fc2",
};

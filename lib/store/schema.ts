/**
 * The store's DDL: the single source of truth, applied unchanged by the Node
 * (@duckdb/node-api) and the wasm (@duckdb/duckdb-wasm) runtimes. lib/store/schema.sql is
 * a generated copy for readers and tools; tests/store/schema.test.ts fails when they differ
 * (regenerate with `UPDATE_SCHEMA=1 npx vitest run tests/store/schema.test.ts`).
 *
 * Rules the parser below relies on: one column per line, `-- json` marks a VARCHAR column
 * holding JSON text (duckdb-wasm ships without the json extension, so there is no JSON type),
 * no DEFAULTs (callers supply UTC timestamps, so both runtimes store the same instant).
 */
export const SCHEMA_SQL = `-- quantlens store schema (generated from lib/store/schema.ts; do not edit)
CREATE TABLE IF NOT EXISTS models (
  model_id VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  source VARCHAR,
  architecture VARCHAR,
  config VARCHAR, -- json
  params BIGINT,
  bytes BIGINT,
  n_tensors INTEGER,
  created_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS tensors (
  model_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  file_name VARCHAR,
  dtype VARCHAR NOT NULL,
  shape BIGINT[] NOT NULL,
  numel BIGINT NOT NULL,
  shard INTEGER,
  layer INTEGER,
  module VARCHAR,
  byte_offset BIGINT,
  byte_length BIGINT,
  PRIMARY KEY (model_id, name)
);
CREATE TABLE IF NOT EXISTS runs (
  run_id VARCHAR PRIMARY KEY,
  model_id VARCHAR,
  kind VARCHAR NOT NULL,
  spec VARCHAR,
  tool_version VARCHAR,
  started_at TIMESTAMP,
  finished_at TIMESTAMP,
  status VARCHAR NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  params VARCHAR -- json
);
CREATE TABLE IF NOT EXISTS tensor_stats (
  run_id VARCHAR NOT NULL,
  model_id VARCHAR,
  name VARCHAR NOT NULL,
  dtype VARCHAR,
  shape BIGINT[],
  numel BIGINT NOT NULL,
  count BIGINT NOT NULL,
  absmax DOUBLE,
  mean DOUBLE,
  std DOUBLE,
  kurtosis DOUBLE,
  min DOUBLE,
  max DOUBLE,
  nan_count BIGINT NOT NULL,
  inf_count BIGINT NOT NULL,
  zero_count BIGINT NOT NULL,
  outlier_fraction DOUBLE,
  absmax_over_std DOUBLE,
  histogram VARCHAR, -- json
  created_at TIMESTAMP,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS channel_stats (
  run_id VARCHAR NOT NULL,
  model_id VARCHAR,
  name VARCHAR NOT NULL,
  axis VARCHAR NOT NULL CHECK (axis IN ('col', 'row')),
  channels INTEGER NOT NULL,
  bucket_size INTEGER NOT NULL,
  absmax DOUBLE[] NOT NULL,
  top VARCHAR, -- json
  median DOUBLE,
  PRIMARY KEY (run_id, name, axis)
);
CREATE TABLE IF NOT EXISTS run_results (
  run_id VARCHAR NOT NULL,
  spec VARCHAR NOT NULL,
  metric VARCHAR NOT NULL,
  value DOUBLE,
  tokens BIGINT,
  created_at TIMESTAMP,
  PRIMARY KEY (run_id, spec, metric)
);
CREATE TABLE IF NOT EXISTS run_windows (
  run_id VARCHAR NOT NULL,
  spec VARCHAR NOT NULL,
  window_index INTEGER NOT NULL,
  tokens BIGINT NOT NULL,
  nll DOUBLE,
  ref_nll DOUBLE,
  kl DOUBLE,
  agree BIGINT,
  PRIMARY KEY (run_id, spec, window_index)
);
CREATE TABLE IF NOT EXISTS quant_errors (
  run_id VARCHAR NOT NULL,
  model_id VARCHAR,
  name VARCHAR NOT NULL,
  spec VARCHAR NOT NULL,
  rel_mse DOUBLE,
  sqnr_db DOUBLE,
  PRIMARY KEY (run_id, name, spec)
);
CREATE TABLE IF NOT EXISTS evidence_results (
  row_id VARCHAR PRIMARY KEY,
  source VARCHAR NOT NULL,
  family VARCHAR,
  model VARCHAR,
  size_b DOUBLE,
  active_size_b DOUBLE,
  is_moe BOOLEAN,
  is_chat BOOLEAN,
  task_category VARCHAR,
  ability VARCHAR,
  task VARCHAR,
  dataset VARCHAR,
  context_bucket VARCHAR,
  quant_target VARCHAR,
  spec VARCHAR,
  w_bits DOUBLE, -- DOUBLE: the LLaMA3 study has 1.1- and 1.7-bit rows (BiLLM, PB-LLM)
  a_bits DOUBLE,
  kv_bits DOUBLE,
  group_size INTEGER,
  method VARCHAR,
  finetune VARCHAR,
  metric VARCHAR,
  value DOUBLE,
  fp16_value DOUBLE,
  value_text VARCHAR,
  value_unit VARCHAR,
  source_key VARCHAR,
  notes VARCHAR
);
CREATE TABLE IF NOT EXISTS evidence_findings (
  finding_id VARCHAR PRIMARY KEY,
  text VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  family VARCHAR,
  method VARCHAR,
  model_size_lt_b DOUBLE,
  model_size_gt_b DOUBLE,
  task_category VARCHAR,
  ability VARCHAR,
  context VARCHAR,
  quant_target VARCHAR,
  recommended_bits VARCHAR,
  discouraged_bits VARCHAR,
  data_check VARCHAR,
  verdict VARCHAR
);
CREATE TABLE IF NOT EXISTS reports (
  report_id VARCHAR PRIMARY KEY,
  model_id VARCHAR,
  run_id VARCHAR,
  kind VARCHAR NOT NULL,
  title VARCHAR,
  template VARCHAR,
  tool_version VARCHAR,
  created_at TIMESTAMP,
  body VARCHAR,
  params VARCHAR -- json
);
`;

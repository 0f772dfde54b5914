/** schema.sql is the generated copy of SCHEMA_SQL; the allow-list matches the DDL. */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCHEMA_SQL } from "../../lib/store/schema.ts";
import { columnsOf, parseSchema, TABLE_NAMES } from "../../lib/store/tables.ts";

const SQL_FILE = new URL("../../lib/store/schema.sql", import.meta.url);

describe("schema", () => {
  it("lib/store/schema.sql equals SCHEMA_SQL (UPDATE_SCHEMA=1 rewrites it)", () => {
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(SQL_FILE, SCHEMA_SQL);
    expect(readFileSync(SQL_FILE, "utf8")).toBe(SCHEMA_SQL);
  });

  it("parseSchema(SCHEMA_SQL) finds exactly TABLE_NAMES", () => {
    expect([...parseSchema(SCHEMA_SQL).keys()].sort()).toEqual([...TABLE_NAMES].sort());
  });

  it("columnsOf(table) reads types, lists and JSON markers", () => {
    expect(columnsOf("channel_stats")!.find((c) => c.name === "absmax")).toEqual({ name: "absmax", type: "DOUBLE[]", json: false, list: true });
    expect(columnsOf("runs")!.filter((c) => c.json).map((c) => c.name)).toEqual(["params"]);
    expect(columnsOf("tensors")!.map((c) => c.name)).not.toContain("PRIMARY");
    expect(columnsOf("nope")).toBeUndefined();
  });
});

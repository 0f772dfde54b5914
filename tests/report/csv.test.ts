import { expect, it } from "vitest";
import { csvField, rowsToCsv, toCsv } from "../../lib/report/csv.ts";

it("csvField quotes commas, quotes, newlines and edge spaces, doubling quotes (RFC 4180)", () => {
  expect(csvField("model.layers.0.mlp.up_proj.weight")).toBe("model.layers.0.mlp.up_proj.weight");
  expect(csvField("a,b")).toBe('"a,b"');
  expect(csvField('say "hi"')).toBe('"say ""hi"""');
  expect(csvField("two\nlines")).toBe('"two\nlines"');
  expect(csvField(" padded")).toBe('" padded"');
  expect(csvField(null)).toBe("");
  expect(csvField(1.5)).toBe("1.5");
  expect(csvField(-2)).toBe("-2");
  expect(csvField(Infinity)).toBe("Infinity");
  expect(csvField(NaN)).toBe("");
});

it("csvField defuses spreadsheet formulas in names from model files", () => {
  expect(csvField("=HYPERLINK(\"x\")")).toBe("\"'=HYPERLINK(\"\"x\"\")\"");
  expect(csvField("+cmd")).toBe("'+cmd");
  expect(csvField("-1.5e3")).toBe("-1.5e3");
});

it("csvField guards every leading = + - @ tab and CR, a number-looking start included (issue 12)", () => {
  expect(csvField("-1+1|cmd")).toBe("'-1+1|cmd");
  expect(csvField("+1+1")).toBe("'+1+1");
  expect(csvField("-2-3")).toBe("'-2-3");
  expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
  expect(csvField("\t=1")).toBe("'\t=1");
  expect(csvField("\r=1")).toBe("\"'\r=1\"");
  for (const n of ["-1", "+2.5", "-1.5e3", "-.5", "-3E-7"]) expect(csvField(n)).toBe(n); // plain numbers stay numbers
});

it("toCsv and rowsToCsv write a header and CRLF-terminated rows", () => {
  expect(toCsv(["a", "b"], [[1, "x,y"], [null, 2]])).toBe('a,b\r\n1,"x,y"\r\n,2\r\n');
  const rows = [{ name: "t", shape: [2, 3] }];
  expect(rowsToCsv([{ header: "tensor", value: (r) => r.name }, { header: "shape", value: (r) => r.shape.join("x") }], rows)).toBe("tensor,shape\r\nt,2x3\r\n");
});

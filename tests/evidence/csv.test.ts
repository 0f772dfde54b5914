import { describe, expect, it } from "vitest";
import { csvRecords, parseCsv } from "../../lib/evidence/csv.ts";
import { FormatError } from "../../lib/formats/errors.ts";

describe("parseCsv(text, file)", () => {
  it("parseCsv reads quoted commas, doubled quotes, newlines in quotes and CRLF", () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\n,,\n', "t.csv")).toEqual([
      ["a", "b", "c"], ["x, y", 'say "hi"', "two\nlines"], ["", "", ""],
    ]);
  });

  it("parseCsv keeps a last record without a trailing newline", () => {
    expect(parseCsv("a,b\n1,2", "t.csv")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("parseCsv rejects a quote that is never closed, naming the file and line", () => {
    expect(() => parseCsv('a\n"open', "t.csv")).toThrow(new FormatError("t.csv", "line 2", "quoted field is never closed"));
  });
});

describe("csvRecords(text, file, columns)", () => {
  it("csvRecords maps fields to the header's columns", () => {
    expect(csvRecords("x,y\n1,2\n", "t.csv", ["x", "y"])).toEqual([{ x: "1", y: "2" }]);
  });

  it("csvRecords rejects a different header and a short line", () => {
    expect(() => csvRecords("x,z\n1,2\n", "t.csv", ["x", "y"])).toThrow(/t\.csv: header: expected columns x,y/);
    expect(() => csvRecords("x,y\n1\n", "t.csv", ["x", "y"])).toThrow(/t\.csv: line 2: 1 fields, expected 2/);
  });
});
